// Row-level security overhead of the three list queries the screens run, measured in one run as
// an operator under RLS and as the superuser (which bypasses RLS), plus their plans.
// Needs a migrated database with data loaded (the bench scale; any scale works).
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { assignTenant, createOperator } from '../src/main/db/operators'
import { percentile, type BenchMetric, type BenchSection } from './report'

export interface RlsBenchOptions {
  /** Superuser URL of the loaded database; default BENCH_DATABASE_URL, then DATABASE_URL. */
  adminUrl?: string
  /** Only used to name the temporary operator; default: the prefix recorded in the database. */
  rolePrefix?: string
  onLog?: (line: string) => void
  log?: (line: string) => void
  iterations?: number
  tenantSample?: number
}

export interface RlsQueryResult {
  query: string
  operator: { p50: number; p95: number }
  superuser: { p50: number; p95: number }
  /** operator p50 / superuser p50 */
  ratio: number
  withinTarget: boolean
  indexes: string[]
  indexScanLedByTenant: boolean
  rows: number
}

const TARGET_RATIO = 1.2

const QUERIES: { name: string; sql: string; params: (tenant: string) => unknown[] }[] = [
  {
    name: 'executions of a tenant, newest first (LIMIT 50)',
    sql: `select id, workflow_name, status, started_at, finished_at, execution_time_ms, error_message
            from executions where tenant_id = $1 order by started_at desc, id desc limit 50`,
    params: (t) => [t]
  },
  {
    name: "a tenant's audit log, newest first (LIMIT 50)",
    sql: `select id, actor, action, resource_type, resource_id, created_at
            from audit_logs where tenant_id = $1 order by created_at desc, id desc limit 50`,
    params: (t) => [t]
  },
  {
    name: "a tenant's usage over 30 days",
    sql: `select id, usage_type, quantity, unit_price, recorded_at
            from usage_records where tenant_id = $1 and recorded_at >= $2 and recorded_at < $3 order by recorded_at`,
    params: (t) => [t, new Date(Date.now() - 30 * 86_400_000), new Date()]
  }
]

const round = (ms: number) => Math.round(ms * 1000) / 1000

/** Runs `sql` inside the same transaction shape as withTenant and times the statement alone. */
async function timedInTenant(client: pg.Client, tenant: string, sql: string, params: unknown[]): Promise<{ ms: number; rows: number }> {
  await client.query('begin')
  try {
    await client.query(`select set_config('app.current_tenant_id', $1, true)`, [tenant])
    const started = process.hrtime.bigint()
    const result = await client.query(sql, params)
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows: result.rowCount ?? 0 }
  } finally {
    await client.query('commit')
  }
}

interface PlanNode {
  'Node Type': string
  'Index Name'?: string
  Plans?: PlanNode[]
}

function indexNames(node: PlanNode): string[] {
  const own = node['Node Type'].includes('Index') && node['Index Name'] ? [node['Index Name']] : []
  return [...own, ...(node.Plans ?? []).flatMap(indexNames)]
}

async function leadingColumn(admin: pg.Client, index: string): Promise<string | null> {
  const { rows } = await admin.query<{ column: string }>(
    `select a.attname as column from pg_index i join pg_class c on c.oid = i.indexrelid
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
      where c.relname = $1`,
    [index]
  )
  return rows[0]?.column ?? null
}

export async function benchRls(options: RlsBenchOptions = {}): Promise<BenchSection & { results: RlsQueryResult[] }> {
  const log = options.onLog ?? options.log ?? (() => {})
  const adminUrl = options.adminUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL
  if (!adminUrl) throw new Error('benchRls needs the loaded database: set BENCH_DATABASE_URL (a superuser URL)')
  const iterations = options.iterations ?? 300
  const config = parseDatabaseUrl(adminUrl)
  const admin = new pg.Client(toClientConfig(config))
  await admin.connect()

  const prefix = options.rolePrefix ?? (await admin.query<{ p: string }>('select app.role_prefix() as p')).rows[0]!.p
  const operatorName = `${prefix}_bench_${randomBytes(3).toString('hex')}`
  const password = randomBytes(18).toString('base64url')
  let operator: pg.Client | null = null
  try {
    const superuser = (await admin.query<{ s: boolean }>('select rolsuper as s from pg_roles where rolname = current_user')).rows[0]!.s
    if (!superuser) throw new Error('the comparison needs a superuser connection (it bypasses RLS)')
    const { rows: tenants } = await admin.query<{ tenant_id: string }>(
      `select tenant_id from (select tenant_id, count(*) n from executions group by tenant_id) s order by n desc, tenant_id limit $1`,
      [options.tenantSample ?? 20]
    )
    if (tenants.length === 0) throw new Error('no executions loaded: seed the database first')
    const sample = tenants.map((t) => t.tenant_id)

    await createOperator(admin, { name: operatorName, groups: ['support'], password })
    for (const t of sample) await assignTenant(admin, operatorName, t)
    operator = new pg.Client(toClientConfig({ ...config, user: operatorName, password }))
    await operator.connect()
    log(`operator ${operatorName} assigned to ${sample.length} tenants; ${iterations} runs per query and role`)

    const results: RlsQueryResult[] = []
    for (const q of QUERIES) {
      const asOperator: number[] = []
      const asSuperuser: number[] = []
      let rows = 0
      for (let i = -20; i < iterations; i++) {
        const tenant = sample[(i + 20) % sample.length]!
        // Interleaved, and in alternating order, so that cache warmth (the second query of a pair
        // finds the first one's pages) and machine noise hit both sides alike.
        const params = q.params(tenant)
        const operatorFirst = i % 2 === 0
        const first = await timedInTenant(operatorFirst ? operator : admin, tenant, q.sql, params)
        const second = await timedInTenant(operatorFirst ? admin : operator, tenant, q.sql, params)
        const [a, b] = operatorFirst ? [first, second] : [second, first]
        if (a.rows !== b.rows) throw new Error(`${q.name}: operator saw ${a.rows} rows, superuser ${b.rows} (tenant ${tenant})`)
        if (i < 0) continue // warm-up
        asOperator.push(a.ms)
        asSuperuser.push(b.ms)
        rows += a.rows
      }
      await operator.query('begin')
      await operator.query(`select set_config('app.current_tenant_id', $1, true)`, [sample[0]])
      const explained = await operator.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`explain (format json) ${q.sql}`, q.params(sample[0]!))
      await operator.query('commit')
      const indexes = [...new Set(indexNames(explained.rows[0]!['QUERY PLAN'][0].Plan))]
      const leading = await Promise.all(indexes.map((name) => leadingColumn(admin, name)))
      const operatorStats = { p50: round(percentile(asOperator, 50)), p95: round(percentile(asOperator, 95)) }
      const superuserStats = { p50: round(percentile(asSuperuser, 50)), p95: round(percentile(asSuperuser, 95)) }
      const ratio = Math.round((percentile(asOperator, 50) / percentile(asSuperuser, 50)) * 100) / 100
      const result: RlsQueryResult = {
        query: q.name,
        operator: operatorStats,
        superuser: superuserStats,
        ratio,
        withinTarget: ratio <= TARGET_RATIO,
        indexes,
        indexScanLedByTenant: indexes.length > 0 && leading.every((c) => c === 'tenant_id'),
        rows: Math.round(rows / iterations)
      }
      results.push(result)
      log(`${q.name}: operator p50 ${operatorStats.p50} ms / p95 ${operatorStats.p95} ms; superuser p50 ${superuserStats.p50} ms / p95 ${superuserStats.p95} ms; ratio ${ratio}; ${indexes.join(', ') || 'no index'}`)
    }

    const metrics: BenchMetric[] = results.flatMap((r) => [
      { name: `${r.query}: operator under RLS p50`, value: r.operator.p50, unit: 'ms' },
      { name: `${r.query}: operator under RLS p95`, value: r.operator.p95, unit: 'ms' },
      { name: `${r.query}: superuser p50`, value: r.superuser.p50, unit: 'ms' },
      { name: `${r.query}: superuser p95`, value: r.superuser.p95, unit: 'ms' },
      { name: `${r.query}: RLS / superuser (p50)`, value: r.ratio, unit: '×', note: r.withinTarget ? `≤ ${TARGET_RATIO}` : `ABOVE ${TARGET_RATIO}` }
    ])
    return {
      id: 'rls',
      title: 'Row-level security overhead of the list queries',
      metrics,
      notes: results.map((r) => `${r.query}: ${r.indexScanLedByTenant ? 'index scan led by tenant_id' : 'NOT an index scan led by tenant_id'} (${r.indexes.join(', ')}), ~${r.rows} rows per call.`),
      results
    }
  } finally {
    await operator?.end().catch(() => undefined)
    await admin.query('delete from operator_tenants where operator = $1', [operatorName]).catch(() => undefined)
    await admin.query(`drop role if exists ${admin.escapeIdentifier(operatorName)}`).catch(() => undefined)
    await admin.end()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await benchRls({ onLog: (line) => console.log(line) })
  console.log(JSON.stringify(section.results, null, 2))
}
