// Issue 10's usage figures, side by side in one run: the overview over 90 days for every tenant
// (p95 online, as finance through the usage functions, and offline from a synced cache), at
// 200,000 and at 2,000,000 usage records, with the ratio; a fold of 10,000 new records at both
// sizes, with the ratio; and the full REFRESH MATERIALIZED VIEW of migration 004's summary at
// 2,000,000 records, the anchor the fold replaces. Self-contained: one scratch database per size
// on the bench server (BENCH_DATABASE_URL's), migrated, loaded with SQL (500 tenants, three
// currencies, 90 days), folded, vacuumed and analyzed, then measured with the two sizes
// alternating sample by sample (a burst of load elsewhere hits both alike); warm-up runs are not
// counted; dropped with their roles at the end.
//
// Each fold sample inserts 10,000 records of the last day and folds them inside a transaction
// that is then rolled back, so every sample meets the table at its nominal size (and the fold
// sees them as it would after their commit: its snapshot includes its own transaction's rows).
// A CHECKPOINT between the insert and the fold (outside the timing) writes back the pages the
// insert dirtied: otherwise the fold's backend pays for evicting them, a cost of the writer
// (its random-uuid primary key spreads 10,000 rows over thousands of index pages at 2,000,000) that the timing would pin on the fold.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type pg from 'pg'
import { openCacheForWriting } from '../src/main/cache/db'
import { syncOnce } from '../src/main/cache/sync/engine'
import { waitForWatermark } from '../src/main/cache/sync/pull'
import { parseDatabaseUrl } from '../src/main/db/connection'
import { createDatabase } from '../src/main/db/database'
import { migrate } from '../src/main/db/migrate'
import { createOperator } from '../src/main/db/operators'
import type { ConnectionConfig } from '../src/main/db/types'
import { cacheStore } from '../src/main/domains/usage/cache-store'
import { addDays, overview, utcToday } from '../src/main/domains/usage/compute'
import { serverStore } from '../src/main/domains/usage/server-store'
import { median, percentile, type BenchContext, type BenchMetric, type BenchSection } from './report'
import { connect as connectScratch, dropScratch, round, since } from './scratch'

const TENANTS = 500
/** The two sizes; BENCH_USAGE_SIZES=20000,40000 makes a quick smoke run of the same code. */
const SIZES = (process.env.BENCH_USAGE_SIZES?.split(',').map(Number) ?? [200_000, 2_000_000]) as [number, number]
const NEW_RECORDS = 10_000
const SAMPLES = 30
const WARMUP = 3
const FOLD_SAMPLES = 30
const FOLD_WARMUP = 1

const connect = (config: ConnectionConfig) => connectScratch(config, 'avia-bench-usage')

/** Records first..last, spread over the `spanDays` before now, triggers on (the fold's deltas are written as in production). */
async function load(admin: pg.Client, first: number, last: number, spanDays: number): Promise<void> {
  await admin.query(
    `insert into usage_records (tenant_id, subscription_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
     select t.id, t.subscription_id, (array['executions', 'ai_calls', 'storage'])[1 + g % 3], 1 + g % 100, 0.0125, t.currency, x.ts, x.ts, x.ts
       from generate_series($1::bigint, $2::bigint) g
       join bench_tenants t on t.k = g % ${TENANTS}
       cross join lateral (select now() - make_interval(secs => (($2::bigint - g)::float8 / ($2::bigint - $1::bigint + 1)) * $3::int * 86400)) x(ts)`,
    [first, last, spanDays]
  )
}

async function setUp(admin: pg.Client): Promise<void> {
  await admin.query(`insert into tenants (id, slug, name, plan_type) select gen_random_uuid(), 'bench-' || g, 'Bench ' || g, (array['starter', 'professional', 'business'])[1 + g % 3] from generate_series(1, ${TENANTS}) g`)
  await admin.query(`insert into price_book (plan_id, currency, amount) select 'bench_' || c, c, 49 from unnest(array['EUR', 'USD', 'MXN']) c`)
  await admin.query(`insert into price_book_unit_prices (price_book_id, currency, usage_type, unit_price)
                     select p.id, p.currency, u, 0.0125 from price_book p cross join unnest(array['executions', 'ai_calls', 'storage']) u where p.plan_id like 'bench\\_%'`)
  await admin.query(`
    create table bench_tenants as
    select t.id, (row_number() over (order by t.id) - 1)::int as k, (array['EUR', 'USD', 'MXN'])[1 + ((row_number() over (order by t.id) - 1) % 3)::int] as currency, null::uuid as subscription_id
      from tenants t where t.slug like 'bench-%'`)
  await admin.query(`
    with made as (
      insert into subscriptions (tenant_id, stripe_customer_id, plan_id, status, current_period_start, current_period_end, price_book_id, created_at)
      select b.id, 'cus_bench', 'bench_' || b.currency, 'active', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month', p.id, now() - interval '2 years'
        from bench_tenants b join price_book p on p.plan_id = 'bench_' || b.currency
      returning id, tenant_id)
    update bench_tenants b set subscription_id = m.id from made m where m.tenant_id = b.id`)
}

interface Sized {
  size: number
  database: string
  rolePrefix: string
  admin: pg.Client
  finance: ReturnType<typeof createDatabase>
  cache: ReturnType<typeof openCacheForWriting>
}

/** A scratch database migrated, loaded with `size` records over 90 days, folded, vacuumed and analyzed, and synced to a cache as finance. */
async function prepare(ctx: Pick<BenchContext, 'log'>, root: pg.Client, server: ConnectionConfig, database: string, rolePrefix: string, size: number, folder: string, notes: string[], clients: pg.Client[]): Promise<Sized> {
  const label = size.toLocaleString('en-US')
  await root.query(`create database ${root.escapeIdentifier(database)}`)
  const config: ConnectionConfig = { ...server, database }
  ctx.log(`migrating ${database}…`)
  await migrate(config, { rolePrefix })
  const admin = await connect(config)
  clients.push(admin)
  await setUp(admin)
  const password = randomBytes(18).toString('base64url')
  const financeName = `${rolePrefix}_finance_bench`
  await createOperator(admin, { name: financeName, groups: ['finance'], password })
  ctx.log(`loading ${label} usage records…`)
  await load(admin, 1, size, 90)
  let started = process.hrtime.bigint()
  await admin.query('select app.fold_daily_usage()')
  notes.push(`Initial fold of the ${label} records loaded: ${Math.round(since(started))} ms.`)
  await admin.query('vacuum analyze')
  await admin.query('checkpoint')
  const finance = createDatabase({ ...config, user: financeName, password })
  ctx.log(`syncing the offline cache at ${label} as finance…`)
  const cache = openCacheForWriting(join(folder, `cache-${size}.sqlite`))
  await waitForWatermark(admin, 120_000)
  started = process.hrtime.bigint()
  await syncOnce(finance, cache, { tables: ['usage_records'], windowDays: { usage_records: 1 }, rollupDays: 400 })
  notes.push(`Sync of the offline cache at ${label} (400 days of rollups, 1 day of records): ${Math.round(since(started))} ms.`)
  return { size, database, rolePrefix, admin, finance, cache }
}

/** One fold sample: 10,000 records of the last day inserted and folded in a transaction rolled back afterwards (the table keeps its size). */
async function foldSample(admin: pg.Client, size: number): Promise<number> {
  await admin.query('begin')
  try {
    await load(admin, size + 1, size + NEW_RECORDS, 1)
    await admin.query('checkpoint')
    const started = process.hrtime.bigint()
    await admin.query('select app.fold_daily_usage()')
    return since(started)
  } finally {
    await admin.query('rollback')
  }
}

const p50p95 = (samples: number[]) => `p50 ${round(median(samples))} ms, p95 ${round(percentile(samples, 95))} ms`

export async function benchUsage(ctx: Pick<BenchContext, 'log' | 'adminUrl'>): Promise<BenchSection> {
  const server = parseDatabaseUrl(ctx.adminUrl)
  const suffix = randomBytes(3).toString('hex')
  const root = await connect({ ...server, database: 'postgres' })
  const folder = mkdtempSync(join(tmpdir(), 'avia-bench-usage-'))
  const clients: pg.Client[] = []
  const sized: Sized[] = []
  const metrics: BenchMetric[] = []
  const notes: string[] = []
  try {
    for (const [i, size] of SIZES.entries()) {
      sized.push(await prepare(ctx, root, server, `avia_bench_usage_${suffix}_${i}`, `busage${suffix}_${i}`, size, folder, notes, clients))
    }
    const period = { from: addDays(utcToday(), -89), to: utcToday() }
    const input = { period, bucket: 'day' as const, usageType: null, plan: null, currency: null, search: '', source: 'auto' as const }

    for (const s of sized) {
      const online = await overview(serverStore(s.finance), input)
      const offline = await overview(cacheStore(s.cache), input)
      if (JSON.stringify({ ...online, completeUpTo: null }) !== JSON.stringify({ ...offline, completeUpTo: null })) throw new Error(`bench usage: the cache and the server disagree on the overview at ${s.size}`)
    }

    ctx.log(`timing the overview, online and offline, the sizes alternating (${WARMUP} warm-up + ${SAMPLES} samples each)…`)
    const online = new Map<number, number[]>(SIZES.map((size) => [size, []]))
    const offline = new Map<number, number[]>(SIZES.map((size) => [size, []]))
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      for (const s of sized) {
        let t = process.hrtime.bigint()
        await overview(serverStore(s.finance), input)
        const a = since(t)
        t = process.hrtime.bigint()
        await overview(cacheStore(s.cache), input)
        const b = since(t)
        if (i >= WARMUP) {
          online.get(s.size)!.push(a)
          offline.get(s.size)!.push(b)
        }
      }
    }

    ctx.log(`timing a fold of ${NEW_RECORDS.toLocaleString('en-US')} new records, the sizes alternating (${FOLD_WARMUP} warm-up + ${FOLD_SAMPLES} samples each)…`)
    const folds = new Map<number, number[]>(SIZES.map((size) => [size, []]))
    for (let i = 0; i < FOLD_WARMUP + FOLD_SAMPLES; i++) {
      for (const s of sized) {
        const ms = await foldSample(s.admin, s.size)
        if (i >= FOLD_WARMUP) folds.get(s.size)!.push(ms)
      }
    }

    for (const size of SIZES) {
      const label = size.toLocaleString('en-US')
      const on = online.get(size)!
      const off = offline.get(size)!
      const fold = folds.get(size)!
      metrics.push(
        { name: `overview, 90 days, every tenant, online p95 at ${label} records`, value: round(percentile(on, 95)), unit: 'ms', runs: on.map(round), note: `goal ≤ 50 ms; ${p50p95(on)}` },
        { name: `overview, 90 days, every tenant, offline p95 at ${label} records`, value: round(percentile(off, 95)), unit: 'ms', runs: off.map(round), note: `goal ≤ 50 ms; ${p50p95(off)}` },
        { name: `fold of ${NEW_RECORDS.toLocaleString('en-US')} new records at ${label}, p95`, value: round(percentile(fold, 95)), unit: 'ms', runs: fold.map(round), note: `goal ≤ 1 s; ${p50p95(fold)}` }
      )
    }
    const [small, big] = SIZES
    const ratio = (samples: Map<number, number[]>, stat: (xs: number[]) => number) => Math.round((stat(samples.get(big)!) / stat(samples.get(small)!)) * 100) / 100
    const p95 = (xs: number[]) => percentile(xs, 95)
    const sizes = `${big.toLocaleString('en-US')} / ${small.toLocaleString('en-US')}`
    metrics.push(
      { name: `overview online p95, ${sizes}`, value: ratio(online, p95), unit: '×', note: `goal ≤ 1.5; p50 ratio ${ratio(online, median)}` },
      { name: `overview offline p95, ${sizes}`, value: ratio(offline, p95), unit: '×', note: `goal ≤ 1.5; p50 ratio ${ratio(offline, median)}` },
      { name: `fold of ${NEW_RECORDS.toLocaleString('en-US')} p95, ${sizes}`, value: ratio(folds, p95), unit: '×', note: `goal ≤ 1.5; p50 ratio ${ratio(folds, median)}` }
    )

    const largest = sized.at(-1)!
    ctx.log(`the anchor: migration 004’s materialized view, refreshed in full at ${big.toLocaleString('en-US')}…`)
    await largest.admin.query(`
      create materialized view bench_old_summary as
      select tenant_id, usage_type, (recorded_at at time zone 'UTC')::date as usage_date, currency, sum(quantity)::bigint as total_quantity,
             sum(quantity * coalesce(unit_price, 0)) as total_amount, count(*) as record_count, min(recorded_at) as first_record, max(recorded_at) as last_record
        from usage_records group by 1, 2, 3, 4`)
    const started = process.hrtime.bigint()
    await largest.admin.query('refresh materialized view bench_old_summary')
    metrics.push({ name: `full REFRESH MATERIALIZED VIEW at ${big.toLocaleString('en-US')} records (the anchor)`, value: round(since(started)), unit: 'ms', note: 'what every path a person waited for used to pay; the fold replaces it' })
    return {
      id: 'usage',
      title: 'Usage: overview online and offline, fold against refresh',
      metrics,
      notes: [
        `${TENANTS} tenants, three currencies (EUR, USD, MXN), usage spread over 90 days, one scratch database per size; the overview is usage.overview's computation (totals, daily trend, top tenants with the previous period) as a finance role, or over the synced cache.`,
        `Samples alternate between the sizes; ${WARMUP} warm-up overview runs and ${FOLD_WARMUP} warm-up fold${FOLD_WARMUP === 1 ? '' : 's'} per size are not counted. Each fold sample is rolled back, so the table keeps its size; a CHECKPOINT before it (not timed) writes back what the insert dirtied.`,
        ...notes
      ]
    }
  } finally {
    for (const s of sized) {
      s.cache.close()
      await s.finance.close().catch(() => undefined)
    }
    for (const client of clients) await client.end().catch(() => undefined)
    rmSync(folder, { recursive: true, force: true })
    await dropScratch(root, SIZES.map((_, i) => `avia_bench_usage_${suffix}_${i}`), `busage${suffix}`)
    await root.end()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchUsage({ log: (line) => console.log(`[usage] ${line}`), adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/avia_bench' })
  console.log(JSON.stringify(section, null, 2))
}
