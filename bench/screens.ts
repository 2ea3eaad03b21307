// The executions screen in Chromium over the offline cache: time to first rows with 1k and with
// 1M cached executions, side by side. Keyset pages and the time index make the first page cost
// the same whatever the table holds; the ratio shows it (target ≤ 1.5).
import { randomUUID } from 'node:crypto'
import { chromium, type Browser } from '@playwright/test'
import { startConsoleServer } from '../e2e/support/console-server'
import { cacheFilePath, cacheIdentity, openCacheForWriting } from '../src/main/cache/db'
import { databaseUrlConfig } from '../src/main/profiles/database-url'
import { freeLoopbackPort } from '../src/main/demo/free-port'
import { median, type BenchSection } from './report'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const FIRST_ROW = '[role="grid"] [role="row"][aria-rowindex="2"] time'
const ERRORS = ['timeout calling stripe', 'quota exhausted for openai', 'invalid credentials for slack', 'webhook returned 502']

export interface ScreensBenchOptions {
  onLog?: (line: string) => void
  log?: (line: string) => void
  /** Cached executions per measured screen; the last is compared with the first. */
  sizes?: number[]
  runs?: number
}

/** Executions as the sync would have written them: 20 tenants, 12 workflows each, one a minute apart. */
function fillCache(file: string, rows: number): void {
  const cache = openCacheForWriting(file)
  const tenants = Array.from({ length: 20 }, () => randomUUID())
  const workflows = tenants.map(() => Array.from({ length: 12 }, () => randomUUID()))
  const insert = cache.prepare(
    `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, status, input_data, output_data, error_data, error_message, execution_time_ms, started_at, finished_at, created_at, updated_at, sync_xid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const now = Date.now()
  const batch = cache.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const t = i % tenants.length
      const w = i % 12
      const failed = i % 7 === 0
      const message = failed ? `${ERRORS[i % ERRORS.length]} (attempt ${i})` : null
      const started = now - i * 60_000
      insert.run(randomUUID(), tenants[t], workflows[t]![w], `Workflow ${w + 1}`, failed ? 'error' : 'success', `{"order":${i}}`, failed ? null : '{"ok":true}',
        failed ? JSON.stringify({ message }) : null, message, i % 5000, started, started + 1500, started, started, i + 1)
    }
  })
  for (let from = 0; from < rows; from += 50_000) batch(from, Math.min(rows, from + 50_000))
  cache.prepare(`INSERT INTO sync_meta (key, value) VALUES ('last_sync_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(now))
  cache.close()
}

async function timeToFirstRows(browser: Browser, url: string, runs: number): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'en-US' })
  const page = await context.newPage()
  // The first visit hands the launch token to the tab (it survives reloads there) and warms the HTTP cache.
  const origin = new URL(url).origin
  await page.goto(url)
  await page.goto(`${origin}/#/executions`)
  await page.waitForSelector(FIRST_ROW, { timeout: 120_000 })
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    await page.goto('about:blank')
    const started = performance.now()
    await page.goto(`${origin}/#/executions`)
    await page.waitForSelector(FIRST_ROW, { timeout: 60_000 })
    samples.push(performance.now() - started)
  }
  await context.close()
  return samples
}

export async function benchScreens(options: ScreensBenchOptions = {}): Promise<BenchSection> {
  const log = options.onLog ?? options.log ?? (() => {})
  const sizes = options.sizes ?? [1_000, 1_000_000]
  const runs = options.runs ?? 7
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  const medians: number[] = []
  const metrics: BenchSection['metrics'] = []
  try {
    for (const size of sizes) {
      // Offline on purpose: DATABASE_URL names a port nothing listens on, so the screen reads the cache.
      const unreachable = `postgresql://bench:bench@127.0.0.1:${await freeLoopbackPort()}/bench?sslmode=disable`
      const server = await startConsoleServer({ env: { DATABASE_URL: unreachable }, logName: `bench-screens-${size}.log` })
      try {
        const fillStarted = performance.now()
        fillCache(cacheFilePath(server.dataDir, cacheIdentity(databaseUrlConfig(unreachable))), size)
        log(`${size.toLocaleString('en-US')} cached executions written in ${Math.round(performance.now() - fillStarted)} ms`)
        const samples = await timeToFirstRows(browser, server.url, runs)
        const value = median(samples)
        medians.push(value)
        log(`${size.toLocaleString('en-US')} rows: first rows after ${value.toFixed(1)} ms (median of ${runs})`)
        metrics.push({ name: `executions screen, time to first rows, ${size.toLocaleString('en-US')} cached rows`, value: Math.round(value * 10) / 10, unit: 'ms', runs: samples.map((s) => Math.round(s * 10) / 10) })
      } finally {
        await server.stop()
      }
    }
  } finally {
    await browser.close()
  }
  const ratio = medians[medians.length - 1]! / medians[0]!
  metrics.push({
    name: `ratio ${sizes[sizes.length - 1]!.toLocaleString('en-US')} / ${sizes[0]!.toLocaleString('en-US')} rows`,
    value: Math.round(ratio * 100) / 100,
    unit: '×',
    note: ratio <= 1.5 ? 'target ≤ 1.5: met' : 'target ≤ 1.5: NOT met'
  })
  return {
    id: 'screens',
    title: 'Executions screen over the offline cache (Chromium, browser mode)',
    metrics,
    notes: [
      'Console offline on purpose (DATABASE_URL to a closed port): the screen reads the cache through the read-only connection.',
      'Time from navigation to the first data row drawn (page load, RPC, keyset page of 200 newest rows, render); median of the runs after one warm-up visit.'
    ]
  }
}
