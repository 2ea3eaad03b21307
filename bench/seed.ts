// Bench-scale load: 500 tenants, 1M executions, 1M steps, 1M audit rows, 2M usage records, 5k
// templates, 200k consent records, streamed with COPY. Loads into a fresh database (created, or
// recreated when its name says it is a bench database) and keeps it, so bench/rls.ts can measure
// the list queries on it afterwards.
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { migrate } from '../src/main/db/migrate'
import type { ConnectionConfig } from '../src/main/db/types'
import { seedDatabase } from '../src/main/demo/seed'
import type { BenchMetric, BenchSection } from './report'

export interface SeedBenchOptions {
  /** Superuser URL of the database to load; default BENCH_DATABASE_URL, then DATABASE_URL. */
  adminUrl?: string
  /** Role prefix for the fresh schema (roles are cluster-wide); default 'bench'. */
  rolePrefix?: string
  seed?: number
  onLog?: (line: string) => void
  log?: (line: string) => void
}

export interface SeedBenchResult extends BenchSection {
  seconds: number
  rows: Record<string, number>
  /** Seconds from the start of the load to the end of each table's COPY. */
  tableDoneAt: Record<string, number>
  peakRssMiB: number
}

async function recreateDatabase(config: ConnectionConfig, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ ...toClientConfig({ ...config, database: 'postgres' }), application_name: 'avia-bench-seed' })
  await client.connect()
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [config.database])
    if (exists.rowCount) {
      // Never drop a database that is not obviously a throwaway bench database.
      if (!/bench/i.test(config.database)) throw new Error(`database ${config.database} exists and its name has no "bench": refusing to drop it`)
      log(`dropping the previous ${config.database}`)
      await client.query(`drop database ${client.escapeIdentifier(config.database)} with (force)`)
    }
    await client.query(`create database ${client.escapeIdentifier(config.database)}`)
  } finally {
    await client.end()
  }
}

export async function benchSeed(options: SeedBenchOptions = {}): Promise<SeedBenchResult> {
  const log = options.onLog ?? options.log ?? (() => {})
  const adminUrl = options.adminUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL
  if (!adminUrl) throw new Error('benchSeed needs a superuser URL: set BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/avia_bench)')
  const config = parseDatabaseUrl(adminUrl)

  await recreateDatabase(config, log)
  await migrate(config, { rolePrefix: options.rolePrefix ?? 'bench' })
  log(`migrated ${config.database}; loading the bench scale…`)

  let peakRss = process.memoryUsage().rss
  const tableDoneAt: Record<string, number> = {}
  const started = Date.now()
  let lastLog = started
  const result = await seedDatabase(config, {
    scale: 'bench',
    seed: options.seed ?? 42,
    onProgress: (p) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      const now = Date.now()
      if (p.tableDone) tableDoneAt[p.table] = (now - started) / 1000
      if (p.tableDone || now - lastLog > 10_000) {
        lastLog = now
        log(`${p.step ?? `${p.table} ${p.tableRows.toLocaleString('en-US')}/${p.tablePlanned.toLocaleString('en-US')}`} · total ${p.rows.toLocaleString('en-US')}/${p.planned.toLocaleString('en-US')} · ${Math.round(((now - started) / 1000) * 10) / 10}s`)
      }
    }
  })
  // Autovacuum may be off on the server (it is on the local one): without this the benchmarks would
  // plan on missing statistics and read heap pages whose visibility map was never set.
  const vacuumStarted = Date.now()
  const vacuumClient = new pg.Client({ connectionString: adminUrl })
  await vacuumClient.connect()
  try {
    await vacuumClient.query('vacuum (analyze)')
  } finally {
    await vacuumClient.end()
  }
  const vacuumSeconds = (Date.now() - vacuumStarted) / 1000
  log(`vacuumed and analyzed in ${vacuumSeconds.toFixed(1)} s`)
  const total = Object.values(result.rows).reduce((a, b) => a + b, 0)
  const peakRssMiB = Math.round(peakRss / 2 ** 20)
  log(`loaded ${total.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)} s (peak RSS ${peakRssMiB} MiB)`)

  const metrics: BenchMetric[] = [
    { name: 'bench-scale load, total', value: Math.round(result.seconds * 10) / 10, unit: 's', note: 'COPY, chaining and summary refresh included' },
    { name: 'rows loaded', value: total, unit: 'rows' },
    { name: 'throughput', value: Math.round(total / result.seconds), unit: 'rows/s' },
    { name: 'vacuum (analyze) after the load', value: Math.round(vacuumSeconds * 10) / 10, unit: 's', note: 'every benchmark reads a vacuumed, analyzed database' },
    { name: 'peak RSS of the loader', value: peakRssMiB, unit: 'MiB', note: 'streamed: does not grow with the row count' },
    ...Object.entries(result.rows).filter(([, n]) => n >= 100_000).map(([table, n]) => ({ name: `${table} rows`, value: n, unit: 'rows' }))
  ]
  return {
    id: 'seed',
    title: 'Bench-scale data load (npm run seed -- --scale bench)',
    metrics,
    notes: [`Database ${config.database} is kept loaded for the RLS benchmark. Table completion times (s): ${Object.entries(tableDoneAt).map(([t, s]) => `${t} ${s.toFixed(1)}`).join(', ')}.`],
    seconds: result.seconds,
    rows: result.rows,
    tableDoneAt,
    peakRssMiB
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchSeed({ onLog: (line) => console.log(line) })
  console.log(JSON.stringify({ seconds: section.seconds, rows: section.rows, peakRssMiB: section.peakRssMiB }, null, 2))
}
