// Issue 14's archival figures: the maintenance job archiving 100,000 executions older than the
// archival age (90 days, the setting's default), with their steps, and the incremental sync of an
// offline cache that follows it, which drops the archived rows by the purge horizons the batches
// published. Self-contained: one scratch database on the bench server (BENCH_DATABASE_URL's),
// migrated and loaded with SQL (100 tenants, 3 workflows each, the old executions spread from 100
// to 390 days ago and a fifth as many recent ones over the last 80 days, two steps per execution),
// vacuumed and analyzed; a support operator of every tenant syncs its cache with a 400-day
// window for executions (the default 90 days would never have cached what archival moves).
//
// An archival can run once per loaded database, so each run gets a fresh copy: CREATE DATABASE
// … TEMPLATE the loaded one (same rows, same sync versions) and a copy of the cache file synced
// from it, then the job, then the sync. The copy, a CHECKPOINT and the wait for the watermark are
// outside the timings. The job runs as the console's runner runs it (claimJob, runClaimedJob: the
// lease, the batches of ARCHIVE_BATCH, the progress and the recorded outcome), as a platform admin.
// Dropped with its roles at the end.
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type pg from 'pg'
import { openCacheForWriting, type CacheDb } from '../src/main/cache/db'
import { syncOnce, type SyncOptions } from '../src/main/cache/sync/engine'
import { waitForWatermark } from '../src/main/cache/sync/pull'
import { parseDatabaseUrl } from '../src/main/db/connection'
import { createDatabase } from '../src/main/db/database'
import { migrate } from '../src/main/db/migrate'
import { assignTenant, createOperator } from '../src/main/db/operators'
import type { ConnectionConfig, Database } from '../src/main/db/types'
import { ARCHIVE_BATCH, claimJob, runClaimedJob } from '../src/main/maintenance/runner'
import { median, type BenchContext, type BenchMetric, type BenchSection } from './report'
import { connect as connectScratch, dropScratch, round, since } from './scratch'

const TENANTS = 100
const WORKFLOWS_PER_TENANT = 3
const STEPS_PER_EXECUTION = 2
/** The size; BENCH_ARCHIVAL_ROWS=5000 makes a quick smoke run of the same code. */
const ROWS = Number(process.env.BENCH_ARCHIVAL_ROWS ?? 100_000)
/** Executions younger than the archival age: they stay online and in the cache. */
const RECENT = Math.ceil(ROWS / 5)
/** Each run archives a fresh copy of the whole load: a handful, reported by their median with every run listed. */
const RUNS = Number(process.env.BENCH_ARCHIVAL_RUNS ?? 3)
/** Archival only: the sync that follows is SQLite's work on a copied file, with nothing to warm that the initial sync did not. */
const WARMUP = 1
const ARCHIVE_AFTER_DAYS = 90
const DAY_MS = 86_400_000
/** What the console passes (offline-cache.ts: steps follow executions), with a window that holds the old executions. */
const SYNC: SyncOptions = { windowDays: { executions: 400, execution_steps: 400, audit_logs: 90, usage_records: 90 }, scope: { assigned: true, pinned: [] } }

if (!Number.isInteger(ROWS) || ROWS < ARCHIVE_BATCH) throw new Error(`BENCH_ARCHIVAL_ROWS must be a whole number of at least ${ARCHIVE_BATCH} (one batch)`)
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('BENCH_ARCHIVAL_RUNS must be a whole number of at least 1')

const connect = (config: ConnectionConfig) => connectScratch(config, 'avia-bench-archival')
const thousands = (n: number) => n.toLocaleString('en-US')

async function load(admin: pg.Client): Promise<void> {
  await admin.query(`insert into tenants (slug, name) select 'bench-archival-' || g, 'Bench archival ' || g from generate_series(1, $1::int) g`, [TENANTS])
  await admin.query(`insert into workflows (tenant_id, name) select t.id, 'Workflow ' || w from tenants t cross join generate_series(1, $1::int) w`, [WORKFLOWS_PER_TENANT])
  // g ≤ ROWS: finished 100 to 390 days ago (archived); above: started 1 to 81 days ago (kept).
  await admin.query(
    `with w as (select (row_number() over (order by tenant_id, id) - 1)::int as k, tenant_id, id, name from workflows)
     insert into executions (tenant_id, workflow_id, workflow_name, status, input_data, output_data, error_message, execution_time_ms, started_at, finished_at, created_at, updated_at)
     select w.tenant_id, w.id, w.name, case when g % 9 = 0 then 'error' else 'success' end,
            jsonb_build_object('lead', 'web:' || md5(g::text), 'n', g), case when g % 9 <> 0 then jsonb_build_object('ok', true, 'items', g % 40) end,
            case when g % 9 = 0 then 'timeout calling upstream' end, g % 3000,
            x.started, x.started + make_interval(secs => 1 + g % 300), x.started, x.started + make_interval(secs => 1 + g % 300)
       from generate_series(1, $1::int + $2::int) g
       join w on w.k = g % $3::int
       cross join lateral (select case when g <= $1::int then now() - interval '100 days' - make_interval(secs => (g::float8 / $1::int) * 290 * 86400)
                                       else now() - interval '1 day' - make_interval(secs => ((g - $1::int)::float8 / $2::int) * 80 * 86400) end) x(started)`,
    [ROWS, RECENT, TENANTS * WORKFLOWS_PER_TENANT]
  )
  await admin.query(
    `insert into execution_steps (tenant_id, execution_id, step_index, step_name, status, started_at, completed_at, input_data, output_data, error_message, created_at, updated_at)
     select e.tenant_id, e.id, s, (array['Webhook', 'HTTP request'])[s + 1], case when e.status = 'error' and s = 1 then 'error' else 'success' end,
            e.started_at, e.finished_at, jsonb_build_object('step', s), case when e.status <> 'error' or s = 0 then jsonb_build_object('status', 200) end,
            case when e.status = 'error' and s = 1 then 'HTTP 504' end, e.started_at, e.finished_at
       from executions e cross join generate_series(0, $1::int - 1) s`,
    [STEPS_PER_EXECUTION]
  )
}

interface Held {
  executions: number
  steps: number
  /** Executions that finished before the archival age, and their steps: none may be left after the sync that follows. */
  oldExecutions: number
  oldSteps: number
}

function held(cache: CacheDb): Held {
  const cutoff = Date.now() - ARCHIVE_AFTER_DAYS * DAY_MS
  return cache
    .prepare(
      `SELECT (SELECT count(*) FROM executions) AS executions, (SELECT count(*) FROM execution_steps) AS steps,
              (SELECT count(*) FROM executions WHERE finished_at < @cutoff) AS oldExecutions,
              (SELECT count(*) FROM execution_steps s JOIN executions e ON e.id = s.execution_id WHERE e.finished_at < @cutoff)
                + (SELECT count(*) FROM execution_steps s WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.id = s.execution_id)) AS oldSteps`
    )
    .get({ cutoff }) as Held
}

interface Run {
  archivalMs: number
  batches: number
  horizons: number
  syncMs: number
  /** A second sync with nothing changed: what any incremental sync of this cache costs. */
  idleSyncMs: number
  /** What the cache got wrong after the sync that follows the archival; the bench fails on any of it, once every run has its figures. */
  wrong: string[]
}

/** One run on a fresh copy of the loaded database and of its synced cache. */
async function archiveAndSync(ctx: Pick<BenchContext, 'log'>, root: pg.Client, server: ConnectionConfig, template: string, database: string, cacheFrom: string, cacheFile: string, logins: { admin: string; support: string; password: string }, warmUp: boolean): Promise<Run | null> {
  await root.query(`create database ${root.escapeIdentifier(database)} template ${root.escapeIdentifier(template)}`)
  copyFileSync(cacheFrom, cacheFile)
  const config: ConnectionConfig = { ...server, database }
  const admin = await connect(config)
  const platformAdmin: Database = createDatabase({ ...config, user: logins.admin, password: logins.password })
  const support: Database = createDatabase({ ...config, user: logins.support, password: logins.password })
  const cache = openCacheForWriting(cacheFile)
  try {
    await admin.query('checkpoint')
    let started = process.hrtime.bigint()
    const run = await claimJob(platformAdmin, 'archive_executions', true)
    if (!run) throw new Error('bench archival: the archival job could not be claimed')
    const outcome = await runClaimedJob(platformAdmin, 'archive_executions', run, ctx.log)
    const archivalMs = since(started)
    if (outcome.error !== null || outcome.rows !== ROWS) throw new Error(`bench archival: the job archived ${outcome.rows} of ${ROWS} executions (error: ${outcome.error ?? 'none'})`)
    const { rows: [moved] } = await admin.query<{ batches: number; archived: number; left: number; horizons: number }>(
      `select (select count(*)::int from audit_logs where resource_type = 'archive_old_executions') as batches,
              (select count(*)::int from executions_archive) as archived,
              (select count(*)::int from executions where finished_at < now() - make_interval(days => $1)) as left,
              (select count(*)::int from sync_purge_horizons) as horizons`,
      [ARCHIVE_AFTER_DAYS]
    )
    if (moved!.archived !== ROWS || moved!.left !== 0) throw new Error(`bench archival: the archive holds ${moved!.archived} executions and ${moved!.left} old ones are still online`)

    if (warmUp) return null

    await waitForWatermark(admin, 120_000)
    started = process.hrtime.bigint()
    const report = await syncOnce(support, cache, SYNC)
    const syncMs = since(started)
    const after = held(cache)
    const wrong: string[] = []
    if (after.oldExecutions !== 0 || after.oldSteps !== 0 || after.executions !== RECENT || after.steps !== RECENT * STEPS_PER_EXECUTION) {
      wrong.push(`the cache still holds ${after.oldExecutions} archived executions and ${after.oldSteps} of their steps (${after.executions} executions, ${after.steps} steps in all; ${RECENT} and ${RECENT * STEPS_PER_EXECUTION} expected)`)
    }
    if (report.tombstones !== 0) wrong.push(`the sync pulled ${report.tombstones} tombstones (archival publishes purge horizons instead)`)

    started = process.hrtime.bigint()
    await syncOnce(support, cache, SYNC)
    const idleSyncMs = since(started)
    return { archivalMs, batches: moved!.batches, horizons: moved!.horizons, syncMs, idleSyncMs, wrong }
  } finally {
    cache.close()
    await support.close().catch(() => undefined)
    await platformAdmin.close().catch(() => undefined)
    await admin.end().catch(() => undefined)
    await root.query(`drop database if exists ${root.escapeIdentifier(database)} with (force)`)
  }
}

export async function benchArchival(ctx: Pick<BenchContext, 'log' | 'adminUrl'>): Promise<BenchSection> {
  const server = parseDatabaseUrl(ctx.adminUrl)
  const suffix = randomBytes(3).toString('hex')
  const rolePrefix = `barch${suffix}`
  const template = `avia_bench_archival_${suffix}`
  const runDatabase = (i: number) => `${template}_run${i}`
  const root = await connect({ ...server, database: 'postgres' })
  const folder = mkdtempSync(join(tmpdir(), 'avia-bench-archival-'))
  const notes: string[] = []
  const failures: string[] = []
  try {
    await root.query(`create database ${root.escapeIdentifier(template)}`)
    const config: ConnectionConfig = { ...server, database: template }
    ctx.log(`migrating ${template}…`)
    await migrate(config, { rolePrefix })
    const logins = { admin: `${rolePrefix}_admin_bench`, support: `${rolePrefix}_support_bench`, password: randomBytes(18).toString('base64url') }
    const initialCache = join(folder, 'initial.sqlite')
    const admin = await connect(config)
    try {
      ctx.log(`loading ${thousands(ROWS)} old and ${thousands(RECENT)} recent executions with ${STEPS_PER_EXECUTION} steps each…`)
      let started = process.hrtime.bigint()
      await load(admin)
      await createOperator(admin, { name: logins.admin, groups: ['admin'], password: logins.password })
      await assignTenant(admin, logins.admin, null)
      await createOperator(admin, { name: logins.support, groups: ['support'], password: logins.password })
      const tenants = await admin.query<{ id: string }>('select id from tenants order by id')
      for (const { id } of tenants.rows) await assignTenant(admin, logins.support, id)
      await admin.query('vacuum analyze')
      await admin.query('checkpoint')
      notes.push(`Load, vacuum and analyze: ${Math.round(since(started) / 1000)} s.`)
      const days = await admin.query<{ days: number }>('select archive_after_days as days from maintenance_settings')
      if (days.rows[0]!.days !== ARCHIVE_AFTER_DAYS) throw new Error(`bench archival: the archival age is ${days.rows[0]!.days} days, the load assumes ${ARCHIVE_AFTER_DAYS}`)

      ctx.log('initial sync of the support operator’s cache…')
      await waitForWatermark(admin, 120_000)
      const support = createDatabase({ ...config, user: logins.support, password: logins.password })
      const cache = openCacheForWriting(initialCache)
      try {
        started = process.hrtime.bigint()
        await syncOnce(support, cache, SYNC)
        notes.push(`Initial sync of the cache (${TENANTS} tenants, every table the support role reads): ${Math.round(since(started) / 1000)} s.`)
        const before = held(cache)
        if (before.oldExecutions !== ROWS || before.executions !== ROWS + RECENT || before.steps !== (ROWS + RECENT) * STEPS_PER_EXECUTION) {
          throw new Error(`bench archival: the initial sync cached ${before.executions} executions (${before.oldExecutions} old) and ${before.steps} steps; ${ROWS + RECENT} (${ROWS} old) and ${(ROWS + RECENT) * STEPS_PER_EXECUTION} expected`)
        }
      } finally {
        cache.close()
        await support.close()
      }
    } finally {
      // The loaded database is the template of every run: no session may stay on it.
      await admin.end()
    }

    const runs: Run[] = []
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const warmUp = i < WARMUP
      ctx.log(warmUp ? `warm-up: archival of ${thousands(ROWS)} executions…` : `run ${i - WARMUP + 1} of ${RUNS}: archival of ${thousands(ROWS)} executions, then the incremental sync…`)
      const run = await archiveAndSync(ctx, root, server, template, runDatabase(i), initialCache, join(folder, `run${i}.sqlite`), logins, warmUp)
      if (!run) continue
      ctx.log(`archival ${Math.round(run.archivalMs)} ms in ${run.batches} batches, sync ${Math.round(run.syncMs)} ms (${run.horizons} horizons), idle sync ${Math.round(run.idleSyncMs)} ms`)
      for (const problem of run.wrong) ctx.log(`WRONG: ${problem}`)
      if (run.wrong.length > 0) failures.push(`run ${runs.length + 1}: ${run.wrong.join('; ')}`)
      runs.push(run)
    }

    const archival = runs.map((r) => r.archivalMs)
    const sync = runs.map((r) => r.syncMs)
    const idle = runs.map((r) => r.idleSyncMs)
    const { batches, horizons } = runs[0]!
    // Loudly, with the figures: a sync that keeps archived rows is a failure whatever its speed.
    if (failures.length > 0) {
      throw new Error(`bench archival: after the sync that follows the archival, ${failures.join(' | ')}. Measured anyway: archival ${archival.map(Math.round).join(', ')} ms; sync ${sync.map(Math.round).join(', ')} ms.`)
    }
    const metrics: BenchMetric[] = [
      {
        name: `archival of ${thousands(ROWS)} executions with their steps (the maintenance job)`,
        value: round(median(archival)),
        unit: 'ms',
        runs: archival.map(round),
        note: `median of ${RUNS} runs, each one big operation on a fresh copy (no p95); ${batches} batches of up to ${thousands(ARCHIVE_BATCH)}, each its own transaction, the last one short`
      },
      { name: 'archival rate', value: Math.round(ROWS / (median(archival) / 1000)), unit: 'executions/s', note: 'at the median duration' },
      {
        name: `incremental sync after the archival (support, ${TENANTS} tenants)`,
        value: round(median(sync)),
        unit: 'ms',
        runs: sync.map(round),
        note: `median of ${RUNS} runs; drops the ${thousands(ROWS)} archived executions and their ${thousands(ROWS * STEPS_PER_EXECUTION)} steps by ${thousands(horizons)} purge horizons`
      },
      { name: 'incremental sync with nothing changed, same cache', value: round(median(idle)), unit: 'ms', runs: idle.map(round), note: `median of ${RUNS} runs; the floor of the sync above` }
    ]
    return {
      id: 'archival',
      title: `Archival: ${thousands(ROWS)} executions, and the incremental sync that follows`,
      metrics,
      notes: [
        `${TENANTS} tenants, ${WORKFLOWS_PER_TENANT} workflows each; ${thousands(ROWS)} executions finished 100 to 390 days ago and ${thousands(RECENT)} within the last 81 days, ${STEPS_PER_EXECUTION} steps each. Archival age ${ARCHIVE_AFTER_DAYS} days (the setting's default); the job runs as a platform admin through the console's runner (claimJob, runClaimedJob).`,
        `The cache is a support operator's of every tenant, with a 400-day window for executions and steps (the console's default 90 days would never cache what archival moves). After every sync that follows an archival the bench checks that the cache holds none of the archived executions or their steps and every recent one, and fails otherwise.`,
        `Each run archives a fresh copy of the loaded database (CREATE DATABASE … TEMPLATE) and syncs a copy of the cache synced before; the copies, a CHECKPOINT and the wait for the watermark are not timed. ${WARMUP} warm-up archival (without its sync) is not counted. An archival of the whole load is one big operation per run, so it is reported by its median with every run listed, not by a p95.`,
        ...notes
      ]
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
    await dropScratch(root, [...Array.from({ length: WARMUP + RUNS }, (_, i) => runDatabase(i)), template], rolePrefix)
    await root.end()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchArchival({ log: (line) => console.log(`[archival] ${line}`), adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/avia_bench' })
  console.log(JSON.stringify(section, null, 2))
}
