import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/**
 * "Areas import nothing from one another": a renderer area (src/renderer/src/areas/<A>/) and a
 * main-process domain (src/main/domains/<A>/) may import the shared kits (components, rpc,
 * reads, cache …) and their own folder, never another area's folder. Imports are read with the
 * TypeScript parser (static, type-only, re-exports and import()), so comments and strings that
 * merely look like imports do not count.
 */

export interface CrossAreaImport {
  /** Importing file, relative to the root, with forward slashes. */
  file: string
  line: number
  specifier: string
  /** The other area's folder, e.g. src/main/domains/tenants. */
  target: string
}

const AREA_FOLDERS = ['src/renderer/src/areas', 'src/main/domains'] as const
const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/

export function findCrossAreaImports(root: string): CrossAreaImport[] {
  const found: CrossAreaImport[] = []
  for (const folder of AREA_FOLDERS) {
    for (const file of sourceFiles(path.join(root, folder))) {
      const own = areaOf(root, file)
      if (own === null) continue
      for (const { specifier, line } of importsOf(file)) {
        if (!specifier.startsWith('.')) continue
        const target = areaOf(root, path.resolve(path.dirname(file), specifier))
        if (target !== null && target !== own) found.push({ file: relative(root, file), line, specifier, target })
      }
    }
  }
  return found
}

/** The area folder a path lies in (relative to the root), or null for kit and frame code. */
function areaOf(root: string, file: string): string | null {
  const rel = relative(root, file)
  for (const folder of AREA_FOLDERS) {
    const rest = rel.startsWith(`${folder}/`) ? rel.slice(folder.length + 1) : null
    // A file directly in the folder (registry.ts, types.ts) is the registry, not an area.
    if (rest !== null && rest.includes('/')) return `${folder}/${rest.slice(0, rest.indexOf('/'))}`
  }
  return null
}

function importsOf(file: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: { specifier: string; line: number }[] = []
  const add = (literal: ts.Expression | undefined) => {
    if (literal && ts.isStringLiteralLike(literal)) found.push({ specifier: literal.text, line: source.getLineAndCharacterOfPosition(literal.getStart()).line + 1 })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier)
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0])
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal as ts.Expression)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function sourceFiles(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return SOURCE_FILE.test(entry.name) ? [full] : []
  })
}

const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/')
