import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { raw } from './http'

const root = fileURLToPath(new URL('../..', import.meta.url))
const built = path.join(root, 'out/main/browser.js')
// The bundle when `npm test` built it (that is what `npm start -- --browser` runs), else the source.
const command = existsSync(built) ? [built] : ['--import', 'tsx', path.join(root, 'src/main/browser.ts')]

function launch(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [...command, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited, output: () => ({ stdout, stderr }) }
}

function readyUrl(run: ReturnType<typeof launch>, timeoutMs = 60_000): Promise<URL> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Console ready" line within ${timeoutMs} ms: ${JSON.stringify(run.output())}`)), timeoutMs)
    const check = () => {
      const match = /^Console ready: (\S+)$/m.exec(run.output().stdout)
      if (match) {
        clearTimeout(timer)
        resolve(new URL(match[1]!))
      }
    }
    run.child.stdout!.on('data', check)
    run.exited.then((code) => reject(new Error(`exited with ${code} before it was ready: ${JSON.stringify(run.output())}`)))
  })
}

describe('browser mode (src/main/browser.ts) against the test database', () => {
  let run: ReturnType<typeof launch>
  let url: URL
  let dataDir: string
  const post = (name: string, headers: Record<string, string>) =>
    raw(Number(url.port), { method: 'POST', path: `/rpc/${name}`, headers: { 'content-type': 'application/json', ...headers }, body: '{}' })

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'avc-browser-'))
    run = launch(['--data-dir', dataDir], { DATABASE_URL: inject('db').url })
    url = await readyUrl(run)
  }, 90_000)

  afterAll(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  const launchToken = () => /^#token=(.*)$/.exec(url.hash)![1]!

  it('prints a 127.0.0.1 URL on a random port with a 256-bit token in the fragment', () => {
    expect(url.hostname).toBe('127.0.0.1')
    expect(Number(url.port)).toBeGreaterThan(0)
    expect(url.search).toBe('')
    expect(launchToken()).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('refuses API requests without the token and answers with it', async () => {
    const token = launchToken()
    expect((await raw(Number(url.port))).status).toBe(200) // the page itself holds no data
    expect((await post('system.status', {})).status).toBe(401)
    const ping = JSON.parse((await post('system.ping', { authorization: `Bearer ${token}` })).body)
    expect(ping).toMatchObject({ ok: true, value: { ok: true } })
  })

  it('reaches the database given by DATABASE_URL', async () => {
    const token = launchToken()
    let state = 'connecting'
    for (let i = 0; i < 60 && state === 'connecting'; i++) {
      const result = JSON.parse((await post('system.status', { authorization: `Bearer ${token}` })).body) as { ok: boolean; value: { state: string } }
      state = result.value.state
      if (state === 'connecting') await new Promise((resolve) => setTimeout(resolve, 500))
    }
    expect(state).toBe('online')
  }, 60_000)

  it('SIGTERM closes it cleanly', async () => {
    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(0)
    expect(run.output().stderr).not.toMatch(/Error|failed/i)
  }, 30_000)
})

describe('browser mode command line', () => {
  it('refuses a bad --port with a usage message and exit code 2', async () => {
    const run = launch(['--port', '70000'])
    expect(await run.exited).toBe(2)
    expect(run.output().stderr).toMatch(/--port must be an integer from 0 to 65535/)
  }, 30_000)

  it('refuses unknown options', async () => {
    const run = launch(['--no-such-option'])
    expect(await run.exited).toBe(2)
    expect(run.output().stderr).toMatch(/Usage: browser\.js/)
  }, 30_000)
})
