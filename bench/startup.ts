import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { relocatedClusterFolder } from '../src/main/demo/cluster-dir'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, type BenchContext, type BenchSection } from './report'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const browserEntry = path.join(root, 'out/main/browser.js')
const ONLINE_TIMEOUT_MS = 10 * 60_000
const READY_LINE = /Console ready: (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/

export interface StartupOptions {
  coldRuns?: number
  warmRuns?: number
}

/**
 * Console start-up as a user sees it in browser mode: from launching `node out/main/browser.js`
 * until the server answers system.status with state 'online'. Cold: an empty data directory (the
 * embedded database is created, migrated and seeded). Warm: the data directory of a cold run.
 */
export async function benchStartup(ctx: BenchContext, options: StartupOptions = {}): Promise<BenchSection> {
  const coldRuns = options.coldRuns ?? 3
  const warmRuns = options.warmRuns ?? 5
  ensureBuilt(ctx)
  const scratch = await mkdtemp(path.join(tmpdir(), 'avc-bench-startup-'))
  // As root the embedded PostgreSQL runs as 'postgres', which must be able to enter the data directories.
  await chmod(scratch, 0o755)
  try {
    const cold: number[] = []
    for (let run = 1; run <= coldRuns; run++) {
      cold.push(await timeToOnline(path.join(scratch, `run-${run}`)))
      ctx.log(`cold start ${run}/${coldRuns}: ${Math.round(cold.at(-1)!)} ms`)
    }
    const warmDir = path.join(scratch, `run-${coldRuns}`)
    const warm: number[] = []
    for (let run = 1; run <= warmRuns; run++) {
      warm.push(await timeToOnline(warmDir))
      ctx.log(`warm start ${run}/${warmRuns}: ${Math.round(warm.at(-1)!)} ms`)
    }
    const rounded = (samples: number[]) => samples.map((ms) => Math.round(ms))
    return {
      id: 'startup',
      title: 'Console start-up (browser mode, embedded demo database)',
      metrics: [
        { name: 'Cold start, median', value: Math.round(median(cold)), unit: 'ms', runs: rounded(cold), note: 'empty data directory: cluster created, migrated, seeded' },
        { name: 'Warm start, median', value: Math.round(median(warm)), unit: 'ms', runs: rounded(warm), note: 'existing data directory' }
      ],
      notes: ['Measured from launching `node out/main/browser.js` until `system.status` answers `online` over HTTP.']
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
    // Where the postgres user cannot enter the scratch folder (a temp folder of mode 0700), the
    // clusters lived in /var/tmp instead: they go too.
    for (let run = 1; run <= coldRuns; run++) await rm(relocatedClusterFolder(path.join(scratch, `run-${run}`)), { recursive: true, force: true })
  }
}

function ensureBuilt(ctx: BenchContext): void {
  if (existsSync(browserEntry)) return
  ctx.log('no build found: running electron-vite build')
  const build = spawnSync(path.join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('electron-vite build failed')
}

async function timeToOnline(dataDir: string): Promise<number> {
  const started = performance.now()
  const env = { ...process.env }
  delete env.DATABASE_URL
  const child = spawn(process.execPath, [browserEntry, '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    const { origin, token } = await new Promise<{ origin: string; token: string }>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8')
        const match = READY_LINE.exec(output)
        if (match) resolve({ origin: match[1]!, token: match[2]! })
      })
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
      void exited.then((code) => reject(new Error(`the console exited (code ${code}) before it was ready:\n${output.slice(-2000)}`)))
    })
    while (performance.now() - started < ONLINE_TIMEOUT_MS) {
      const status = await systemStatus(origin, token)
      if (status.state === 'online') return performance.now() - started
      if (status.state === 'offline') throw new Error(`the console went offline: ${status.message ?? 'no message'}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`not online within ${ONLINE_TIMEOUT_MS / 1000} s`)
  } finally {
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    await exited
    clearTimeout(killer)
    await releasedBy(dataDir)
  }
}

/**
 * The console may exit a moment before its PostgreSQL finishes shutting down; the next start
 * would wait for it. Waiting here keeps that out of the next measurement.
 */
async function releasedBy(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
  const deadline = Date.now() + 30_000
  while (existsSync(pidFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
}

async function systemStatus(origin: string, token: string): Promise<{ state: string; message?: string }> {
  const response = await fetch(`${origin}/rpc/system.status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{}'
  })
  const body = (await response.json()) as { ok: boolean; value?: { state: string; message?: string }; error?: { message: string } }
  if (!body.ok || !body.value) throw new Error(`system.status failed: ${body.error?.message ?? response.status}`)
  return body.value
}
