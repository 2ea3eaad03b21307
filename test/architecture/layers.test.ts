import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * One tsconfig per environment (scripts/typecheck.ts runs them all): planted code that uses what
 * its layer must not see fails to compile with that layer's own options, and the same code
 * compiles where it belongs.
 */
const root = path.resolve(__dirname, '../..')
const planted = mkdtempSync(path.join(tmpdir(), 'layers-'))
afterAll(() => rmSync(planted, { recursive: true, force: true }))

function parsed(config: string): ts.ParsedCommandLine {
  const result = ts.getParsedCommandLineOfConfigFile(path.join(root, config), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)) } })
  if (!result) throw new Error(`cannot read ${config}`)
  return result
}

const configs = { shared: parsed('tsconfig.shared.json'), main: parsed('tsconfig.main.json'), renderer: parsed('tsconfig.renderer.json') }

let count = 0
/** The diagnostics of one planted file compiled with a layer's options (lib and types included). */
function compile(layer: keyof typeof configs, source: string): string[] {
  const file = path.join(planted, `planted-${count++}.ts`)
  writeFileSync(file, source)
  const program = ts.createProgram({ rootNames: [file], options: configs[layer].options })
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

const USES_DOM = "export const title: string = document.title\nexport const first: HTMLElement | null = document.querySelector('main')\n"
const USES_NODE = "import { readFileSync } from 'node:fs'\nexport const home: string | undefined = process.env.HOME\nexport const read = readFileSync\n"
const PURE = 'export const last = [1, 2, 3].at(-1)\nexport const keys = Object.entries({ a: 1 }).map(([k]) => k.padStart(3))\n'

describe('one tsconfig per environment', () => {
  it('main code that uses the DOM (document, HTMLElement) fails the type check; Node code compiles', () => {
    expect(compile('main', USES_DOM).join('\n')).toMatch(/Cannot find name 'document'[\s\S]*Cannot find name 'HTMLElement'/)
    expect(compile('main', USES_NODE)).toEqual([])
  })

  it('renderer code that uses Node (process, node:fs) fails the type check; DOM code compiles', () => {
    const errors = compile('renderer', USES_NODE).join('\n')
    expect(errors).toMatch(/node:fs/)
    expect(errors).toMatch(/Cannot find name 'process'/)
    expect(compile('renderer', USES_DOM)).toEqual([])
  })

  it('shared code may use neither; pure code compiles', () => {
    expect(compile('shared', USES_DOM).join('\n')).toMatch(/Cannot find name 'document'/)
    expect(compile('shared', USES_NODE).join('\n')).toMatch(/Cannot find name 'process'/)
    expect(compile('shared', PURE)).toEqual([])
  })

  it('each config covers its own folders and only those', () => {
    const files = (layer: keyof typeof configs) => configs[layer].fileNames.map((f) => path.relative(root, f).split(path.sep).join('/'))
    expect(files('main')).toContain('src/main/index.ts')
    expect(files('main')).toContain('src/preload/index.ts')
    expect(files('renderer')).toContain('src/renderer/src/main.tsx')
    expect(files('shared')).toContain('src/shared/rpc/procedures.ts')
    expect(files('main').every((f) => f.startsWith('src/main/') || f.startsWith('src/preload/'))).toBe(true)
    expect(files('renderer').every((f) => f.startsWith('src/renderer/src/'))).toBe(true)
    expect(files('shared').every((f) => f.startsWith('src/shared/'))).toBe(true)
  })
})
