// Issue 10's usage figures, side by side in one run: the overview over 90 days for every tenant
// (p95 online, as finance through the usage functions, and offline from a synced cache), at
// 200,000 and at 2,000,000 usage records, with the ratio; a fold of 10,000 new records at both
// sizes, with the ratio; and the full REFRESH MATERIALIZED VIEW of migration 004's summary at
// 2,000,000 records, the anchor the fold replaces. Self-contained: a scratch database on the
// bench server (BENCH_DATABASE_URL's), migrated, loaded with SQL (500 tenants, three currencies,
// 90 days), dropped with its roles at the end.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { openCacheForWriting } from '../src/main/cache/db'
import { syncOnce } from '../src/main/cache/sync/engine'
import { waitForWatermark } from '../src/main/cache/sync/pull'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { createDatabase } from '../src/main/db/database'
import { migrate } from '../src/main/db/migrate'
import { createOperator } from '../src/main/db/operators'
import type { ConnectionConfig } from '../src/main/db/types'
import { cacheStore } from '../src/main/domains/usage/cache-store'
import { addDays, overview, utcToday } from '../src/main/domains/usage/compute'
import { serverStore } from '../src/main/domains/usage/server-store'
import { median, percentile, type BenchContext, type BenchMetric, type BenchSection } from './report'

const TENANTS = 500
/** The two sizes; BENCH_USAGE_SIZES=20000,40000 makes a quick smoke run of the same code. */
const SIZES = (process.env.BENCH_USAGE_SIZES?.split(',').map(Number) ?? [200_000, 2_000_000]) as [number, number]
const NEW_RECORDS = 10_000
const SAMPLES = 30
const WARMUP = 3
const FOLD_RUNS = 3

const round = (ms: number) => Math.round(ms * 100) / 100
const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6

async function connect(config: ConnectionConfig): Promise<pg.Client> {
  const client = new pg.Client({ ...toClientConfig(config), application_name: 'avia-bench-usage' })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** Records first_g..last_g, spread over the `spanDays` before now, triggers on (the fold's deltas are written as in production). */
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

export async function benchUsage(ctx: Pick<BenchContext, 'log' | 'adminUrl'>): Promise<BenchSection> {
  const server = parseDatabaseUrl(ctx.adminUrl)
  const suffix = randomBytes(3).toString('hex')
  const database = `avia_bench_usage_${suffix}`
  const rolePrefix = `busage${suffix}`
  const root = await connect({ ...server, database: 'postgres' })
  await root.query(`create database ${root.escapeIdentifier(database)}`)
  const config: ConnectionConfig = { ...server, database }
  const folder = mkdtempSync(join(tmpdir(), 'avia-bench-usage-'))
  const clients: pg.Client[] = []
  const metrics: BenchMetric[] = []
  const notes: string[] = []
  try {
    ctx.log(`migrating ${database}…`)
    await migrate(config, { rolePrefix })
    const admin = await connect(config)
    clients.push(admin)
    await setUp(admin)
    const password = randomBytes(18).toString('base64url')
    const financeName = `${rolePrefix}_finance_bench`
    await createOperator(admin, { name: financeName, groups: ['finance'], password })
    const finance = createDatabase({ ...config, user: financeName, password })
    const period = { from: addDays(utcToday(), -89), to: utcToday() }
    const input = { period, bucket: 'day' as const, usageType: null, plan: null, currency: null, search: '', source: 'auto' as const }

    const overviewP95 = new Map<number, { online: number; offline: number }>()
    const foldMedian = new Map<number, number>()
    let loaded = 0
    for (const size of SIZES) {
      ctx.log(`loading up to ${size.toLocaleString('en-US')} usage records…`)
      await load(admin, loaded + 1, size, 90)
      loaded = size
      let started = process.hrtime.bigint()
      await admin.query('select app.fold_daily_usage()')
      notes.push(`Initial fold of the records loaded up to ${size.toLocaleString('en-US')}: ${Math.round(since(started))} ms.`)
      await admin.query('vacuum analyze usage_records, daily_usage_summary, usage_rollup_deltas')

      ctx.log('syncing the offline cache as finance…')
      const cache = openCacheForWriting(join(folder, `cache-${size}.sqlite`))
      await waitForWatermark(admin, 120_000)
      started = process.hrtime.bigint()
      await syncOnce(finance, cache, { tables: ['usage_records'], windowDays: { usage_records: 1 }, rollupDays: 400 })
      notes.push(`Sync of the offline cache at ${size.toLocaleString('en-US')} (400 days of rollups, 1 day of records): ${Math.round(since(started))} ms.`)

      ctx.log('timing the overview, online and offline, alternating…')
      const online: number[] = []
      const offline: number[] = []
      const onlineStore = serverStore(finance)
      const offlineStore = cacheStore(cache)
      const first = await overview(onlineStore, input)
      const same = await overview(offlineStore, input)
      if (JSON.stringify({ ...first, completeUpTo: null }) !== JSON.stringify({ ...same, completeUpTo: null })) throw new Error('bench usage: the cache and the server disagree on the overview')
      for (let i = 0; i < WARMUP + SAMPLES; i++) {
        let t = process.hrtime.bigint()
        await overview(onlineStore, input)
        const a = since(t)
        t = process.hrtime.bigint()
        await overview(offlineStore, input)
        const b = since(t)
        if (i >= WARMUP) {
          online.push(a)
          offline.push(b)
        }
      }
      cache.close()
      overviewP95.set(size, { online: percentile(online, 95), offline: percentile(offline, 95) })
      metrics.push(
        { name: `overview, 90 days, every tenant, online p95 at ${size.toLocaleString('en-US')} records`, value: round(percentile(online, 95)), unit: 'ms', runs: online.map(round), note: `goal ≤ 50 ms; p50 ${round(median(online))} ms` },
        { name: `overview, 90 days, every tenant, offline p95 at ${size.toLocaleString('en-US')} records`, value: round(percentile(offline, 95)), unit: 'ms', runs: offline.map(round), note: `goal ≤ 50 ms; p50 ${round(median(offline))} ms` }
      )

      ctx.log(`folding ${NEW_RECORDS.toLocaleString('en-US')} new records, ${FOLD_RUNS} times…`)
      const folds: number[] = []
      for (let run = 0; run < FOLD_RUNS; run++) {
        await load(admin, loaded + 1, loaded + NEW_RECORDS, 1)
        loaded += NEW_RECORDS
        started = process.hrtime.bigint()
        await admin.query('select app.fold_daily_usage()')
        folds.push(since(started))
      }
      foldMedian.set(size, median(folds))
      metrics.push({ name: `fold of ${NEW_RECORDS.toLocaleString('en-US')} new records at ${size.toLocaleString('en-US')}`, value: round(median(folds)), unit: 'ms', runs: folds.map(round), note: 'goal ≤ 1 s; median of the runs' })
    }

    const [small, big] = SIZES
    const ratio = (a: number, b: number) => Math.round((b / a) * 100) / 100
    metrics.push(
      { name: `overview online p95, ${big.toLocaleString('en-US')} / ${small.toLocaleString('en-US')}`, value: ratio(overviewP95.get(small)!.online, overviewP95.get(big)!.online), unit: '×', note: 'goal ≤ 1.5' },
      { name: `overview offline p95, ${big.toLocaleString('en-US')} / ${small.toLocaleString('en-US')}`, value: ratio(overviewP95.get(small)!.offline, overviewP95.get(big)!.offline), unit: '×', note: 'goal ≤ 1.5' },
      { name: `fold of ${NEW_RECORDS.toLocaleString('en-US')}, ${big.toLocaleString('en-US')} / ${small.toLocaleString('en-US')}`, value: ratio(foldMedian.get(small)!, foldMedian.get(big)!), unit: '×', note: 'goal ≤ 1.5' }
    )

    ctx.log(`the anchor: migration 004’s materialized view, refreshed in full at ${loaded.toLocaleString('en-US')}…`)
    await admin.query(`
      create materialized view bench_old_summary as
      select tenant_id, usage_type, (recorded_at at time zone 'UTC')::date as usage_date, currency, sum(quantity)::bigint as total_quantity,
             sum(quantity * coalesce(unit_price, 0)) as total_amount, count(*) as record_count, min(recorded_at) as first_record, max(recorded_at) as last_record
        from usage_records group by 1, 2, 3, 4`)
    const started = process.hrtime.bigint()
    await admin.query('refresh materialized view bench_old_summary')
    metrics.push({ name: `full REFRESH MATERIALIZED VIEW at ${loaded.toLocaleString('en-US')} records (the anchor)`, value: round(since(started)), unit: 'ms', note: 'what every path a person waited for used to pay; the fold replaces it' })
    await finance.close()
    return {
      id: 'usage',
      title: 'Usage: overview online and offline, fold against refresh',
      metrics,
      notes: [
        `${TENANTS} tenants, three currencies (EUR, USD, MXN), usage spread over 90 days; the overview is usage.overview's computation (totals, daily trend, top tenants with the previous period) as a finance role, or over the synced cache.`,
        ...notes
      ]
    }
  } finally {
    for (const client of clients) await client.end().catch(() => undefined)
    rmSync(folder, { recursive: true, force: true })
    await root.query(`drop database if exists ${root.escapeIdentifier(database)} with (force)`).catch(() => undefined)
    const roles = await root.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1 order by rolname desc`, [`${rolePrefix}\\_%`])
    for (const { rolname } of roles.rows) await root.query(`drop role if exists ${root.escapeIdentifier(rolname)}`).catch(() => undefined)
    await root.end()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchUsage({ log: (line) => console.log(`[usage] ${line}`), adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/avia_bench' })
  console.log(JSON.stringify(section, null, 2))
}
