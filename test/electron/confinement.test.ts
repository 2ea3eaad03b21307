import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(relative)
    return /\.(ts|tsx)$/.test(entry.name) ? [relative] : []
  })
}

/** Import specifiers that load code at run time (type-only imports are erased). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8')
  const specifiers: string[] = []
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
    if (match[2]) continue
    specifiers.push((match[3] ?? match[4] ?? match[5])!)
  }
  return specifiers
}

function resolveLocal(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  const base = path.posix.join(path.posix.dirname(from), specifier)
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base]) {
    try {
      readFileSync(path.join(root, candidate))
      return candidate
    } catch {
      // try the next spelling
    }
  }
  return null
}

describe('Electron stays a thin, confined shell', () => {
  it("only the two Electron entry points import 'electron' at run time", () => {
    const importers = sourceFiles('src').filter((file) => runtimeImports(file).includes('electron'))
    expect(importers.sort()).toEqual(['src/main/index.ts', 'src/preload/index.ts'])
  })

  it('browser mode (src/main/browser.ts) never reaches electron or electron-store through its imports', () => {
    const seen = new Set<string>()
    const queue = ['src/main/browser.ts']
    while (queue.length > 0) {
      const file = queue.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      for (const specifier of runtimeImports(file)) {
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(/^electron($|\/|-store$)/)
        const local = resolveLocal(file, specifier)
        if (local?.endsWith('.ts')) queue.push(local)
      }
    }
    expect(seen.size).toBeGreaterThan(3)
  })
})
