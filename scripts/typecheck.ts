// npm run typecheck — the compiler keeps the layers apart: one tsc run per environment (shared
// without Node or the DOM, main without the DOM, renderer without Node, then tests and tools),
// plus the check that areas import nothing from one another. Exits non-zero when any fails.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findCrossAreaImports } from './area-imports'

export const TYPECHECK_CONFIGS = ['tsconfig.shared.json', 'tsconfig.main.json', 'tsconfig.renderer.json', 'tsconfig.json'] as const

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

function runTsc(config: string): Promise<{ config: string; ok: boolean; output: string; seconds: number }> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', config, '--noEmit', '--pretty', 'false'], { cwd: root })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    child.on('close', (code) => resolve({ config, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }))
  })
}

/** Two at a time: the machines this runs on have two cores. */
async function runAll(): Promise<boolean> {
  const queue = [...TYPECHECK_CONFIGS]
  let ok = true
  const lane = async () => {
    for (let config = queue.shift(); config; config = queue.shift()) {
      const result = await runTsc(config)
      ok &&= result.ok
      console.log(`${result.ok ? 'ok  ' : 'FAIL'} tsc -p ${config} (${result.seconds.toFixed(1)} s)`)
      if (result.output.trim()) console.log(result.output.trimEnd())
    }
  }
  await Promise.all([lane(), lane()])
  const crossings = findCrossAreaImports(root)
  console.log(`${crossings.length === 0 ? 'ok  ' : 'FAIL'} areas import nothing from one another`)
  for (const c of crossings) console.log(`${c.file}:${c.line}: imports ${c.specifier} from another area (${c.target})`)
  return ok && crossings.length === 0
}

process.exitCode = (await runAll()) ? 0 : 1
