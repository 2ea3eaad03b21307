// Issue 11's figures: the review queue's first page at 5,000 and at 50,000 templates (p95, and
// their ratio; goal ≤ 50 ms and ≤ 1.5), the risk analysis plus layout of a 500-node workflow
// (goal ≤ 200 ms), and the first paint of that graph in Chromium (goal ≤ 1 s).
// Self-contained: one scratch database per size on the bench server (BENCH_DATABASE_URL's server),
// migrated and loaded by the demo seed with the template count overridden, measured as a real
// moderator role through the handlers' own functions, and dropped at the end.
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { chromium } from '@playwright/test'
import pg from 'pg'
import { startConsoleServer, type ConsoleServer } from '../e2e/support/console-server'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { createDatabase } from '../src/main/db/database'
import { migrate } from '../src/main/db/migrate'
import { createOperator } from '../src/main/db/operators'
import type { ConnectionConfig, Database } from '../src/main/db/types'
import { seedDatabase } from '../src/main/demo/seed'
import { templateWorkflow } from '../src/main/demo/seed/pools/workflows'
import { Rng } from '../src/main/demo/seed/prng'
import { analyzeWorkflow } from '../src/main/domains/marketplace/risk'
import { readWorkflow } from '../src/main/domains/marketplace/risk/workflow'
import { listQueue } from '../src/main/domains/marketplace/queue'
import { layoutWorkflow } from '../src/renderer/src/areas/Marketplace/layout'
import { queueFilterSchema } from '../src/shared/rpc/areas/marketplace'
import { median, percentile, type BenchContext, type BenchMetric, type BenchSection } from './report'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const SIZES = [5_000, 50_000] as const
const QUEUE_RUNS = 40
const GRAPH_NODES = 500
const round = (ms: number) => Math.round(ms * 100) / 100

interface Scratch {
  size: number
  config: ConnectionConfig
  moderator: { name: string; password: string }
  db: Database
}

async function withAdmin<T>(config: ConnectionConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...toClientConfig(config), application_name: 'avia-bench-marketplace' })
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A migrated database with the demo data set and `size` templates, and a moderator of its own. */
async function scratchDatabase(server: ConnectionConfig, size: number, tag: string, log: (line: string) => void): Promise<Scratch> {
  const config = { ...server, database: `avia_bench_market_${size}_${tag}` }
  await withAdmin({ ...server, database: 'postgres' }, (c) => c.query(`create database ${c.escapeIdentifier(config.database)}`))
  const rolePrefix = `bm${tag}${size}`
  await migrate(config, { rolePrefix })
  const started = Date.now()
  await seedDatabase(config, { scale: 'demo', templates: size })
  log(`${size} templates loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const moderator = { name: `${rolePrefix}_moderator_bench`, password: randomBytes(18).toString('base64url') }
  await withAdmin(config, (c) => createOperator(c, { name: moderator.name, groups: ['moderator'], password: moderator.password }))
  return { size, config, moderator, db: createDatabase({ ...config, user: moderator.name, password: moderator.password }, { maxConnections: 2 }) }
}

async function dropScratch(server: ConnectionConfig, scratch: { config: ConnectionConfig; size: number }, tag: string): Promise<void> {
  await withAdmin({ ...server, database: 'postgres' }, async (c) => {
    await c.query(`drop database if exists ${c.escapeIdentifier(scratch.config.database)} with (force)`)
    const roles = await c.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1`, [`bm${tag}${scratch.size}\\_%`])
    for (const { rolname } of roles.rows) await c.query(`drop role if exists ${c.escapeIdentifier(rolname)}`)
  })
}

/** First page of the default queue (waiting items, oldest first), alternating the sizes so both see the same machine. */
async function queueTimings(scratches: Scratch[]): Promise<Map<number, number[]>> {
  const filter = queueFilterSchema.parse({})
  const samples = new Map(scratches.map((s) => [s.size, [] as number[]]))
  for (const s of scratches) for (let i = 0; i < 3; i++) await listQueue(s.db, filter, { offset: 0, limit: 50 })
  for (let run = 0; run < QUEUE_RUNS; run++) {
    for (const s of scratches) {
      const start = performance.now()
      await listQueue(s.db, filter, { offset: 0, limit: 50 })
      samples.get(s.size)!.push(performance.now() - start)
    }
  }
  return samples
}

/** A 500-node workflow export as the seed writes its large ones (blocks, fan-out hubs, several hosts). */
function bigWorkflow(): object {
  return templateWorkflow('giant', 'Bench bulk import', new Rng(11, 'bench', 1), GRAPH_NODES)
}

function analysisTimings(definition: object): number[] {
  const samples: number[] = []
  for (let i = 0; i < 33; i++) {
    const start = performance.now()
    analyzeWorkflow(definition)
    layoutWorkflow(readWorkflow(definition)!)
    if (i >= 3) samples.push(performance.now() - start)
  }
  return samples
}

/** Submits the 500-node workflow as a template of the scratch database; returns its id. */
async function submitBig(config: ConnectionConfig, definition: object): Promise<string> {
  return withAdmin(config, async (c) => {
    const author = (await c.query<{ tenant_id: string; id: string }>('select tenant_id, id from users order by id limit 1')).rows[0]!
    const id = (await c.query<{ id: string }>(
      `insert into templates (tenant_id, creator_user_id, name, description, category, price, is_free) values ($1, $2, 'Bench 500-node import', 'Five hundred nodes', 'crm', 0, true) returning id`,
      [author.tenant_id, author.id]
    )).rows[0]!.id
    const version = (await c.query<{ version: number }>('select version from templates where id = $1', [id])).rows[0]!.version
    await c.query('select app.submit_template($1, $2, $3)', [id, version, definition])
    return id
  })
}

/** Opening the template in the built console until its graph shows nodes (the layout done and drawn). */
async function firstPaint(scratch: Scratch, templateId: string, log: (line: string) => void): Promise<number[]> {
  const { config, moderator } = scratch
  const url = `postgresql://${moderator.name}:${encodeURIComponent(moderator.password)}@${config.host}:${config.port}/${config.database}?sslmode=disable`
  let server: ConsoleServer | null = null
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    server = await startConsoleServer({ env: { DATABASE_URL: url }, logName: 'bench-marketplace-console.log' })
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'en-US' })).newPage()
    await page.goto(server.url)
    await page.waitForSelector('[data-testid="connection-status"][data-state="online"]', { timeout: 120_000 })
    const samples: number[] = []
    for (let i = 0; i < 12; i++) {
      await page.goto(`${server.origin}/#/marketplace`)
      await page.waitForSelector('[data-testid="queue-row"]', { timeout: 60_000 })
      const start = Date.now()
      await page.goto(`${server.origin}/#/marketplace/${templateId}`)
      await page.waitForSelector('[data-testid="workflow-graph"] .react-flow__node', { timeout: 60_000 })
      // Two frames: the nodes are in the DOM and painted.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
      if (i >= 2) samples.push(Date.now() - start)
    }
    log(`first paint of the ${GRAPH_NODES}-node graph: median ${median(samples)} ms`)
    return samples
  } finally {
    await server?.stop()
    await browser.close()
  }
}

export async function benchMarketplace(ctx: Partial<BenchContext> = {}): Promise<BenchSection> {
  const log = ctx.onLog ?? ctx.log ?? console.log
  const adminUrl = ctx.adminUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/avia_bench'
  const server = parseDatabaseUrl(adminUrl)
  const tag = randomBytes(2).toString('hex')
  const sizes = (process.env.BENCH_MARKETPLACE_SIZES ?? SIZES.join(',')).split(',').map(Number)
  const scratches: Scratch[] = []
  const metrics: BenchMetric[] = []
  try {
    for (const size of sizes) scratches.push(await scratchDatabase(server, size, tag, log))
    const queue = await queueTimings(scratches)
    for (const [size, runs] of queue) {
      metrics.push({ name: `queue first page (50 rows, counts per state) at ${size} templates, p95`, value: round(percentile(runs, 95)), unit: 'ms', runs: runs.map(round) })
    }
    if (sizes.length >= 2) {
      const small = percentile(queue.get(sizes[0]!)!, 95)
      const large = percentile(queue.get(sizes[sizes.length - 1]!)!, 95)
      metrics.push({ name: `queue p95 ratio ${sizes[sizes.length - 1]} / ${sizes[0]} templates`, value: round(large / small), unit: '×' })
    }
    const definition = bigWorkflow()
    const analysis = analysisTimings(definition)
    metrics.push({ name: `risk analysis + layout of a ${GRAPH_NODES}-node workflow (layered: above dagre's 150 nodes), median`, value: round(median(analysis)), unit: 'ms', runs: analysis.map(round) })
    metrics.push({ name: `risk analysis + layout of a ${GRAPH_NODES}-node workflow (layered: above dagre's 150 nodes), p95`, value: round(percentile(analysis, 95)), unit: 'ms' })
    if (process.env.BENCH_MARKETPLACE_PAINT !== '0') {
      const templateId = await submitBig(scratches[0]!.config, definition)
      const paint = await firstPaint(scratches[0]!, templateId, log)
      metrics.push({ name: `first paint of the ${GRAPH_NODES}-node graph in Chromium (open template → nodes drawn), median`, value: median(paint), unit: 'ms', runs: paint })
    }
  } finally {
    for (const s of scratches) await s.db.close()
    for (const s of scratches) await dropScratch(server, s, tag).catch((error: unknown) => log(`could not drop ${s.config.database}: ${String(error)}`))
  }
  for (const m of metrics) log(`${m.name}: ${m.value} ${m.unit}`)
  return {
    id: 'marketplace',
    title: 'Marketplace moderation',
    metrics,
    notes: [
      `Queue: ${QUEUE_RUNS} alternating samples per size after 3 warm-up calls, as a moderator role under RLS, through listQueue (the handler's own function).`,
      'Analysis + layout: 30 samples after 3 warm-ups, in this Node process (the renderer runs the same layoutWorkflow).',
      'First paint: built console in browser mode against the 5,000-template database, Debian Chromium; 10 samples after 2 warm-ups.'
    ]
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchMarketplace()
}
