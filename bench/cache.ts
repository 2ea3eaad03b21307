// Offline cache: initial sync rate next to its raw ceilings, incremental sync cost against table
// size, full-text search against a LIKE scan, and memory during the initial sync. Runs against a
// database already loaded (bench scale: seedDatabase(..., { scale: 'bench' })) reached by adminUrl.
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { checkpointWhenIdle, openCacheForReading, openCacheForWriting, type CacheDb } from '../src/main/cache/db'
import { listAuditLogs } from '../src/main/domains/audit/cache-queries'
import { toFtsQuery } from '../src/main/reads/cache-sql'
import { DEFAULT_PAGE_SIZE, PAGES_PER_QUERY, syncOnce } from '../src/main/cache/sync/engine'
import { fetchTablePageAcross, fetchVisibleTenants, readWatermark, streamAcross, waitForWatermark, type StreamCursor } from '../src/main/cache/sync/pull'
import { pageColumns, TABLE_SPECS, type SyncedTable } from '../src/main/cache/sync/tables'
import { parseDatabaseUrl } from '../src/main/db/connection'
import { createDatabase } from '../src/main/db/database'
import { migrate } from '../src/main/db/migrate'
import { assignTenant, createOperator } from '../src/main/db/operators'
import type { ConnectionConfig } from '../src/main/db/types'
import type { SyncChildJob, SyncChildResult } from './cache-sync-child'
import { percentile, type BenchMetric, type BenchSection } from './report'

export interface CacheBenchOptions {
  adminUrl: string
  onLog?: (line: string) => void
  pageSize?: number
  /** Rows of the small executions table the incremental sync and the sync's memory are compared with. */
  smallRows?: number
  /** Rows of a middle-sized executions table for the memory comparison; 0 leaves it out. */
  middleRows?: number
  changedRows?: number
  /** Tenants of the wide database the incremental sync is compared with (same rows as the small one). */
  wideTenants?: number
  /** Recorded samples per incremental case (at least 30: a p95 is not the single slowest run); warm-up runs come before. */
  incrementalSamples?: number
  searchSamples?: number
}


export async function benchCache(options: CacheBenchOptions): Promise<BenchSection> {
  const log = options.onLog ?? (() => {})
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE
  const scratch = mkdtempSync(join(tmpdir(), 'avc-bench-cache-'))
  const cleanups: (() => Promise<void>)[] = []
  const metrics: BenchMetric[] = []
  const notes: string[] = []
  try {
    const big = await benchOperator(options.adminUrl, cleanups)
    const bigFile = join(scratch, 'big.sqlite')
    // A transaction still open from the load (anywhere on the server) would hide the newest rows.
    await waitForWatermark(big.admin, 600_000)

    // 1. Initial sync, per table, next to the same keyset pull alone and the same rows inserted alone.
    const memory: { rows: number; table: SyncedTable; sync: SyncChildResult }[] = []
    for (const table of ['executions', 'audit_logs'] as const) {
      const pull = await timePull(big.connection, table, pageSize)
      log(`${table}: keyset pull alone ${rate(pull)} rows/s (${pull.rows} rows)`)
      const streamed = await timeStreamedRead(big.connection, table, pageSize)
      log(`${table}: streamed read alone ${rate(streamed)} rows/s (${streamed.rows} rows)`)
      const sync = await syncInFreshProcess({ connection: big.connection, cacheFile: bigFile, options: { tables: [table], pageSize } })
      await expectServerRows(big.admin, bigFile, table)
      if (sync.rows !== pull.rows) log(`${table}: the sync read ${sync.rows - pull.rows} rows more than the pull (rows written in between; the watermarks differ)`)
      memory.push({ rows: sync.rows, table, sync })
      log(`${table}: initial sync ${rate(sync)} rows/s, peak RSS ${mib(sync.maxRss)} MiB (fresh process)`)
      const insert = timeInsertAlone(bigFile, join(scratch, `insert-${table}.sqlite`), table, pageSize)
      log(`${table}: SQLite insert alone ${rate(insert)} rows/s`)
      const ceiling = Math.min(rate(pull), rate(insert))
      metrics.push(
        { name: `Initial sync of ${label(table)}`, value: rate(sync), unit: 'rows/s', note: `${sync.rows.toLocaleString('en-US')} rows, in the sync worker of a fresh process; target ≥ ${table === 'executions' ? '40,000' : '25,000'} rows/s` },
        { name: `  ceiling: keyset pull alone, as the operator`, value: rate(pull), unit: 'rows/s' },
        { name: `  ceiling: SQLite insert alone, plain table (no key, index or search)`, value: rate(insert), unit: 'rows/s' },
        { name: `  sync / slower ceiling`, value: Math.round((rate(sync) / ceiling) * 100), unit: '%', note: 'target ≥ 50 %' },
        {
          name: `  the sync's own read alone: streamed, ${PAGES_PER_QUERY} pages per query, as the operator`,
          value: rate(streamed),
          unit: 'rows/s',
          note: `not a ceiling of the issue; the sync reads this way: ${Math.round((rate(sync) / Math.min(rate(streamed), rate(insert))) * 100)} % of the slower of it and the insert`
        }
      )
    }

    // 2. Incremental sync of N changed rows: a small and the big executions table (same tenants),
    // and the small one next to a wide one (same rows, many more tenants). Cases alternate.
    const changed = options.changedRows ?? 1000
    const samples = Math.max(30, options.incrementalSamples ?? 30)
    const tenants = await countTenants(big.connection)
    const small = await smallDatabase(options.adminUrl, options.smallRows ?? 10_000, tenants, cleanups)
    const smallFile = join(scratch, 'small.sqlite')
    await waitForWatermark(small.admin, 600_000)
    const smallInitial = await syncInFreshProcess({ connection: small.connection, cacheFile: smallFile, options: { tables: ['executions'], pageSize } })
    memory.push({ rows: smallInitial.rows, table: 'executions', sync: smallInitial })
    const wideTenants = options.wideTenants ?? 10_000
    const wide = await smallDatabase(options.adminUrl, small.rows, wideTenants, cleanups)
    const wideFile = join(scratch, 'wide.sqlite')
    await waitForWatermark(wide.admin, 600_000)
    await syncInFreshProcess({ connection: wide.connection, cacheFile: wideFile, options: { tables: ['executions'], pageSize } })
    const middleRows = options.middleRows ?? 100_000
    if (middleRows > 0) {
      const middle = await smallDatabase(options.adminUrl, middleRows, tenants, cleanups)
      await waitForWatermark(middle.admin, 600_000)
      const sync = await syncInFreshProcess({ connection: middle.connection, cacheFile: join(scratch, 'middle.sqlite'), options: { tables: ['executions'], pageSize } })
      memory.push({ rows: sync.rows, table: 'executions', sync })
    }
    for (const m of memory) log(`${m.table} ${m.rows} rows: RSS ${mib(m.sync.readyRss)} MiB when ready, peak ${mib(m.sync.maxRss)} MiB`)
    // The loads before (the bench database, the comparison tables) leave a checkpoint that the WAL
    // called for: spread over a minute or two, its writes fell on some of the samples below only.
    await big.admin.query('CHECKPOINT')
    const cases = [
      await incrementalCase('small', small, smallFile, changed, samples, pageSize),
      await incrementalCase('big', big, bigFile, changed, samples, pageSize),
      await incrementalCase('wide', wide, wideFile, changed, samples, pageSize)
    ]
    const timed = await timeIncremental(cases, samples, log)
    const [smallRuns, bigRuns, wideRuns] = timed.map((t) => t.runs) as [number[], number[], number[]]
    const rows = (n: number) => n.toLocaleString('en-US')
    metrics.push(
      { name: `Incremental sync of ${changed} changed executions, p95, ${rows(small.rows)} rows, ${rows(tenants)} tenants`, value: p95(smallRuns), unit: 'ms', runs: smallRuns, note: 'target ≤ 150 ms' },
      { name: `Incremental sync of ${changed} changed executions, p95, ${rows(big.rows)} rows, ${rows(tenants)} tenants`, value: p95(bigRuns), unit: 'ms', runs: bigRuns, note: 'target ≤ 150 ms' },
      { name: '  big / small table', value: round2(p95(bigRuns) / p95(smallRuns)), unit: '×', note: 'target ≤ 1.5' },
      { name: `Incremental sync of ${changed} changed executions, p95, ${rows(wide.rows)} rows, ${rows(wideTenants)} tenants`, value: p95(wideRuns), unit: 'ms', runs: wideRuns, note: 'target ≤ 150 ms' },
      { name: `  ${rows(wideTenants)} / ${rows(tenants)} tenants`, value: round2(p95(wideRuns) / p95(smallRuns)), unit: '×', note: 'target ≤ 1.5' }
    )
    notes.push(
      `Incremental sync: ${WARM_UP} warm-up syncs per case are not recorded; then ${samples} recorded samples per case, the cases taken in turn (small, big, wide; the next round starts one case later), each after its own ${changed} changes and a wait for the watermark. Before the first, untimed, a CHECKPOINT writes back what loading the comparison tables dirtied. After each sample, untimed, the WAL checkpoint the sync worker runs once a sync has reported.`
    )

    // 3. Search over the cached audit rows.
    const searches = searchBench(bigFile, Math.max(30, options.searchSamples ?? 30))
    metrics.push(...searches.metrics)
    notes.push(...searches.notes)

    const memorySection = memoryMetrics(memory, pageSize)
    metrics.push(...memorySection.metrics)
    notes.push(memorySection.note)
    return { id: 'cache', title: 'Offline cache (sync worker, SQLite, FTS5)', metrics, notes }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`cleanup failed: ${String(error)}`))
    rmSync(scratch, { recursive: true, force: true })
  }
}

interface Timed {
  rows: number
  ms: number
}
interface SyncTarget {
  admin: pg.Client
  connection: ConnectionConfig
  rows: number
}

const rate = (t: Timed) => Math.round((t.rows / t.ms) * 1000)
const mib = (bytes: number) => Math.round(bytes / 2 ** 20)
const round2 = (n: number) => Math.round(n * 100) / 100
const label = (table: SyncedTable) => table.replace('_', ' ')

const p95 = (samples: number[]) => percentile(samples, 95)

/** An all-tenants admin operator of the database at `url`, dropped afterwards. */
async function benchOperator(url: string, cleanups: (() => Promise<void>)[]): Promise<SyncTarget> {
  const admin = new pg.Client({ connectionString: url })
  admin.on('error', () => {})
  await admin.connect()
  cleanups.push(() => admin.end())
  const { rows } = await admin.query<{ prefix: string; n: number }>('SELECT app.role_prefix() AS prefix, (SELECT count(*)::int FROM executions) AS n')
  const role = `${rows[0]!.prefix}_bench_cache_${randomBytes(3).toString('hex')}`
  const password = randomBytes(18).toString('base64url')
  await createOperator(admin, { name: role, groups: ['admin'], password })
  await assignTenant(admin, role, null)
  cleanups.push(async () => {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role])
    await admin.query('DELETE FROM operator_tenants WHERE operator = $1', [role])
    await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`)
  })
  return { admin, connection: { ...parseDatabaseUrl(url), user: role, password, sslMode: 'disable' }, rows: rows[0]!.n }
}

async function countTenants(connection: ConnectionConfig): Promise<number> {
  const db = createDatabase(connection)
  try {
    return (await db.withPlatform(fetchVisibleTenants)).length
  } finally {
    await db.close()
  }
}

/**
 * The sync's own read, fetched and dropped: keyset pages across the operator's tenants, as the
 * operator (row-level security decides), one after another. The network-and-server ceiling.
 */
async function timePull(connection: ConnectionConfig, table: SyncedTable, pageSize: number): Promise<Timed> {
  const db = createDatabase(connection)
  try {
    const started = performance.now()
    const { watermark, tenants } = await db.withPlatform(async (client) => ({ watermark: await readWatermark(client), tenants: await fetchVisibleTenants(client) }))
    const ids = tenants.map((t) => t.id)
    let rows = 0
    let cursor: StreamCursor = { xid: 0n, id: null }
    for (;;) {
      const page = await db.withPlatform((client) => fetchTablePageAcross(client, TABLE_SPECS[table], ids, cursor, watermark, null, pageSize))
      rows += page.length
      const last = page[page.length - 1]
      if (page.length < pageSize || !last) break
      cursor = { xid: BigInt(last[0] as string), id: last[1] as string }
    }
    return { rows, ms: performance.now() - started }
  } finally {
    await db.close()
  }
}

/** The same rows read the way the sync reads them (streamAcross, PAGES_PER_QUERY pages per query) and dropped. */
async function timeStreamedRead(connection: ConnectionConfig, table: SyncedTable, pageSize: number): Promise<Timed> {
  const db = createDatabase(connection)
  try {
    const started = performance.now()
    const watermark = await db.withPlatform(readWatermark)
    const limit = pageSize * PAGES_PER_QUERY
    let rows = 0
    let cursor: StreamCursor = { xid: 0n, id: null }
    for (;;) {
      let last: unknown[] | undefined
      const read = await db.withPlatform((client) => streamAcross(client, { spec: TABLE_SPECS[table], tombstones: false }, null, cursor, watermark, null, limit, (row) => (last = row)))
      rows += read
      if (read < limit || !last) break
      cursor = { xid: BigInt(last[0] as string), id: last[1] as string }
    }
    return { rows, ms: performance.now() - started }
  } finally {
    await db.close()
  }
}

/**
 * The cache holds exactly the server's rows of `table` below the watermark the sync stopped at
 * (the all-tenants operator sees every tenant's rows). Not a comparison with the pull's count: the
 * two read at different watermarks, and any write in between (an operator assigned elsewhere on the
 * server writes an audit row) counts in one and not the other.
 */
async function expectServerRows(admin: pg.Client, cacheFile: string, table: SyncedTable): Promise<void> {
  const cache = openCacheForReading(cacheFile)
  let cached: { n: number; watermark: bigint | null }
  try {
    const n = (cache.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    const w = cache.prepare('SELECT min(watermark) AS w FROM sync_cursors WHERE table_name = ?').safeIntegers(true).get(table) as { w: bigint | null }
    cached = { n, watermark: w.w }
  } finally {
    cache.close()
  }
  if (cached.watermark === null) throw new Error(`the sync left no ${table} cursor`)
  const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id IS NOT NULL AND sync_xid < $1::text::xid8`, [cached.watermark.toString()])
  if (rows[0]!.n !== cached.n) throw new Error(`the cache holds ${cached.n} ${table} rows, the server ${rows[0]!.n} below the sync's watermark`)
}

const CHILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'cache-sync-child.ts')

/** A sync through the worker, as the console runs it, in a fresh process whose peak RSS is the sync's own. */
function syncInFreshProcess(job: SyncChildJob): Promise<SyncChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let answer: { ok: true; result: SyncChildResult } | { ok: false; message: string } | undefined
    child.on('message', (message: typeof answer) => (answer = message))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.result)
      else reject(new Error(`initial sync in a fresh process failed: ${answer ? answer.message : `exit ${code ?? signal}`}`))
    })
    child.send(job)
  })
}

/** Peak RSS per initial sync, executions side by side by table size, and the largest over the smallest. */
function memoryMetrics(memory: { rows: number; table: SyncedTable; sync: SyncChildResult }[], pageSize: number): { metrics: BenchMetric[]; note: string } {
  const executions = memory.filter((m) => m.table === 'executions').sort((a, b) => a.rows - b.rows)
  const smallest = executions[0]!
  const largest = executions[executions.length - 1]!
  const metrics: BenchMetric[] = executions.map((m) => ({
    name: `Peak RSS of a fresh process, initial sync of ${m.rows.toLocaleString('en-US')} executions`,
    value: mib(m.sync.maxRss),
    unit: 'MiB',
    note: `${mib(m.sync.readyRss)} MiB once the worker was ready`
  }))
  metrics.push({
    name: `  ${largest.rows.toLocaleString('en-US')} / ${smallest.rows.toLocaleString('en-US')} rows`,
    value: round2(largest.sync.maxRss / smallest.sync.maxRss),
    unit: '×',
    note: 'flat when ≈ 1'
  })
  for (const m of memory.filter((m) => m.table !== 'executions')) {
    metrics.push({ name: `Peak RSS of a fresh process, initial sync of ${m.rows.toLocaleString('en-US')} ${label(m.table)}`, value: mib(m.sync.maxRss), unit: 'MiB', note: `${mib(m.sync.readyRss)} MiB once the worker was ready` })
  }
  return {
    metrics,
    note:
      `Peak memory: each initial sync runs alone in a fresh process (bench/cache-sync-child.ts) and reports getrusage maxRSS at the end, main thread and sync worker together. ` +
      `The sync holds one keyset page of ${pageSize} rows at a time; SQLite's page cache has a fixed bound (cache_size default, which better-sqlite3 sets to 16 MB per connection) and the WAL is capped by journal_size_limit, so what is left is the Node/V8 floor of two isolates plus one page. ` +
      `The smaller tables hold rows copied from the bench-scale ones (same contents, other ids and tenants), so the difference is row count, not row width.`
  }
}

/**
 * The rows the sync wrote, inserted again into a plain SQLite table of the same columns (no key,
 * no index, no search index), in page-sized transactions through one prepared statement: SQLite's
 * own write ceiling for these rows, with the cache's pragmas.
 */
function timeInsertAlone(fromFile: string, toFile: string, table: SyncedTable, pageSize: number): Timed {
  const source = openCacheForReading(fromFile)
  const target = openCacheForWriting(toFile)
  try {
    const columns = pageColumns(TABLE_SPECS[table])
    target.exec(`CREATE TABLE plain_${table} (${columns.join(', ')})`)
    const insert = target.prepare(`INSERT INTO plain_${table} VALUES (${columns.map(() => '?').join(', ')})`)
    const write = target.transaction((page: unknown[][]) => {
      for (const row of page) insert.run(row)
    })
    const read = source.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rid`).raw(true)
    let rows = 0
    let ms = 0
    let page: unknown[][] = []
    const flush = () => {
      const started = performance.now()
      write(page)
      ms += performance.now() - started
      rows += page.length
      page = []
    }
    for (const row of read.iterate() as Iterable<unknown[]>) {
      page.push(row)
      if (page.length === pageSize) flush()
    }
    if (page.length > 0) flush()
    return { rows, ms }
  } finally {
    source.close()
    target.close()
  }
}

const WARM_UP = 2

interface IncrementalCase {
  name: string
  target: SyncTarget
  /** Changes the next batch of rows and times the sync that brings them. */
  sample: (index: number) => Promise<number>
  close: () => Promise<void>
}

/** Changes `changed` random executions per sample, waits until the watermark passes them, times one sync. */
async function incrementalCase(name: string, target: SyncTarget, cacheFile: string, changed: number, samples: number, pageSize: number): Promise<IncrementalCase> {
  const { rows } = await target.admin.query<{ id: string }>(
    `SELECT id::text FROM executions TABLESAMPLE BERNOULLI (least(100, 100.0 * $1 / greatest(1, (SELECT reltuples FROM pg_class WHERE oid = 'executions'::regclass))))`,
    [changed * (samples + WARM_UP) * 2]
  )
  const ids = rows.map((r) => r.id)
  const db = createDatabase(target.connection)
  const cache = openCacheForWriting(cacheFile)
  return {
    name,
    target,
    sample: async (index) => {
      const batch = ids.slice((index * changed) % Math.max(1, ids.length - changed)).slice(0, changed)
      await target.admin.query(`UPDATE executions SET execution_time_ms = coalesce(execution_time_ms, 0) + 1 WHERE id = ANY($1::uuid[])`, [batch])
      await waitForWatermark(target.admin, 600_000)
      const started = performance.now()
      const report = await syncOnce(db, cache, { tables: ['executions'], pageSize })
      const ms = Math.round(performance.now() - started)
      if (report.rows < batch.length) throw new Error(`incremental sync pulled ${report.rows} rows for ${batch.length} changes`)
      // What the sync worker does once a sync has reported (src/main/cache/sync/worker.ts): outside the timing, as there.
      checkpointWhenIdle(cache)
      return ms
    },
    close: async () => {
      cache.close()
      await db.close()
    }
  }
}

/** Warm-up runs first (not recorded), then `samples` per case, the cases in turn with a rotating start. */
async function timeIncremental(cases: IncrementalCase[], samples: number, log: (line: string) => void): Promise<{ runs: number[] }[]> {
  const runs = cases.map(() => [] as number[])
  try {
    for (let i = 0; i < WARM_UP; i++) for (const c of cases) await c.sample(i)
    for (let round = 0; round < samples; round++) {
      for (let k = 0; k < cases.length; k++) {
        const index = (round + k) % cases.length
        runs[index]!.push(await cases[index]!.sample(WARM_UP + round))
      }
    }
    cases.forEach((c, i) => log(`incremental sync, ${c.name} (${c.target.rows} rows): ${runs[i]!.join(', ')} ms`))
    return runs.map((r) => ({ runs: r }))
  } finally {
    for (const c of cases) await c.close()
  }
}

/**
 * A fresh database with the same number of tenants and `rows` executions spread over them, so the
 * incremental comparison differs in table size only (the sync visits every tenant either way). The
 * rows' contents (inputs, outputs, errors, times, statuses) are copied from the bench database's
 * own seeded executions, so a small table's rows are as wide as the big one's: generated one-field
 * inputs made the small cache denser, and part of the big/small difference was row width.
 */
async function smallDatabase(adminUrl: string, rows: number, tenants: number, cleanups: (() => Promise<void>)[]): Promise<SyncTarget> {
  const base = parseDatabaseUrl(adminUrl)
  const suffix = randomBytes(3).toString('hex')
  const database = `${base.database}_cache_small_${suffix}`.slice(0, 63)
  const rolePrefix = `bcs${suffix}`
  const root = new pg.Client({ connectionString: adminUrl })
  root.on('error', () => {})
  await root.connect()
  await root.query(`CREATE DATABASE ${root.escapeIdentifier(database)}`)
  cleanups.push(async () => {
    await root.query(`DROP DATABASE IF EXISTS ${root.escapeIdentifier(database)} WITH (FORCE)`)
    const roles = await root.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY pg_has_role(rolname, 'USAGE') DESC`, [`${rolePrefix}\\_%`])
    for (const { rolname } of roles.rows) await root.query(`DROP ROLE IF EXISTS ${root.escapeIdentifier(rolname)}`)
    await root.end()
  })
  await migrate({ ...base, database }, { rolePrefix })
  const smallUrl = new URL(adminUrl)
  smallUrl.pathname = `/${database}`
  const target = await benchOperator(smallUrl.toString(), cleanups)
  await target.admin.query(
    `INSERT INTO tenants (slug, name) SELECT 'bench-small-' || g, 'Bench small ' || g FROM generate_series(1, $1) g`,
    [tenants]
  )
  await target.admin.query(`INSERT INTO workflows (tenant_id, name) SELECT id, 'Workflow' FROM tenants`)
  let copied = 0
  let after = '00000000-0000-0000-0000-000000000000'
  while (copied < rows) {
    // Batches through the id order of the bench rows (random ids: an even sample of them).
    const { rows: batch } = await root.query<{ rows: string | null; last: string | null; n: number }>(
      `SELECT jsonb_agg(to_jsonb(e) - 'id')::text AS rows, max(e.id::text) AS last, count(*)::int AS n
         FROM (SELECT id, workflow_name, status, input_data, output_data, error_data, error_message, execution_time_ms, started_at, finished_at
                 FROM executions WHERE id > $1::uuid ORDER BY id LIMIT $2) e`,
      [after, Math.min(5_000, rows - copied)]
    )
    const { rows: json, last, n } = batch[0]!
    if (!json || !last || n === 0) throw new Error(`the bench database holds ${copied} executions, fewer than the ${rows} a comparison table needs`)
    await target.admin.query(
      `WITH w AS (SELECT row_number() OVER (ORDER BY id) - 1 AS i, tenant_id, id, name FROM workflows),
            r AS (SELECT row_number() OVER () - 1 + $2 AS g, r.*
                    FROM jsonb_to_recordset($1::jsonb) AS r(workflow_name text, status text, input_data jsonb, output_data jsonb, error_data jsonb,
                                                            error_message text, execution_time_ms integer, started_at timestamptz, finished_at timestamptz))
       INSERT INTO executions (tenant_id, workflow_id, workflow_name, status, input_data, output_data, error_data, error_message, execution_time_ms, started_at, finished_at)
       SELECT w.tenant_id, w.id, r.workflow_name, r.status, r.input_data, r.output_data, r.error_data, r.error_message, r.execution_time_ms, r.started_at, r.finished_at
         FROM r JOIN w ON w.i = r.g % $3`,
      [json, copied, tenants]
    )
    copied += n
    after = last
  }
  return { ...target, rows }
}

/** Newest-first search pages over the cached audit rows: FTS5 next to a LIKE scan of the same rows. */
function searchBench(cacheFile: string, samples: number): { metrics: BenchMetric[]; notes: string[] } {
  const writer = openCacheForWriting(cacheFile)
  const cached = writer.prepare('SELECT count(*) FROM audit_logs').pluck().get() as number
  if (cached === 0) throw new Error('no audit rows were cached: nothing to search')
  // The most and one of the least frequent words of the index, found through FTS5's vocabulary.
  writer.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.audit_vocab USING fts5vocab(main, 'audit_fts', 'row')")
  const common = writer.prepare("SELECT term FROM temp.audit_vocab WHERE term GLOB '[a-z]*' ORDER BY doc DESC LIMIT 1").pluck().get() as string
  const rare = writer.prepare("SELECT term FROM temp.audit_vocab WHERE doc BETWEEN 1 AND 5 AND term GLOB '[a-z][a-z][a-z][a-z]*' ORDER BY doc, term LIMIT 1").pluck().get() as string
  writer.close()
  const reader = openCacheForReading(cacheFile)
  const like = reader.prepare(
    `SELECT id FROM audit_logs WHERE action LIKE @term OR resource_type LIKE @term OR old_values LIKE @term OR new_values LIKE @term
     ORDER BY created_at DESC, rid DESC LIMIT 50`
  )
  /** One warm-up run each (not recorded), then the two alternately, `samples` recorded runs each. */
  const timeAlternately = (a: () => void, b: () => void): [number[], number[]] => {
    const runs: [number[], number[]] = [[], []]
    const once = (fn: () => void) => {
      const started = performance.now()
      fn()
      return round2(performance.now() - started)
    }
    a()
    b()
    for (let i = 0; i < samples; i++) {
      if (i % 2 === 0) {
        runs[0].push(once(a))
        runs[1].push(once(b))
      } else {
        runs[1].push(once(b))
        runs[0].push(once(a))
      }
    }
    return runs
  }
  try {
    const metrics: BenchMetric[] = []
    for (const [kind, term] of [['common', common], ['rare', rare]] as const) {
      const [fts, scan] = timeAlternately(
        () => listAuditLogs(reader, { text: term }, 50),
        () => like.all({ term: `%${term}%` })
      )
      metrics.push(
        { name: `Audit search p95, ${kind} word "${term}", newest 50, FTS5`, value: p95(fts), unit: 'ms', runs: fts },
        { name: `Audit search p95, ${kind} word "${term}", newest 50, LIKE scan`, value: p95(scan), unit: 'ms', runs: scan }
      )
    }
    return { metrics, notes: [`Searches over ${cached.toLocaleString('en-US')} cached audit rows (FTS query ${toFtsQuery(common)} / ${toFtsQuery(rare)}).`] }
  } finally {
    reader.close()
  }
}
