// Tenant directory and detail timings (issue 5): directory search and filter with 500 and with
// 10,000 tenants (and their ratio), and opening one tenant's detail plus its timeline.
// Runs as a temporary admin operator under RLS, through the same functions the handlers call.
// The directory is topped up to each size with synthetic tenants (slug `bench-extra-…`, loaded
// with triggers off like the seed loader does) that are deleted again at the end.
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { createDatabase } from '../src/main/db/database'
import { assignTenant, createOperator } from '../src/main/db/operators'
import type { Database } from '../src/main/db/types'
import { tenantDetail } from '../src/main/domains/tenants/detail'
import { listDirectory } from '../src/main/domains/tenants/directory'
import { tenantTimeline } from '../src/main/domains/tenants/timeline'
import { TIMELINE_KINDS, type DirectoryQuery } from '../src/shared/rpc/areas/tenants'
import { median, percentile, type BenchMetric, type BenchSection } from './report'

export interface TenantsBenchOptions {
  adminUrl?: string
  onLog?: (line: string) => void
  log?: (line: string) => void
  iterations?: number
  sizes?: number[]
}

const EXTRA = 'bench-extra-'
/** Samples per case and size (p50 and p95 need at least 30), taken in blocks that alternate the sizes. */
const DIRECTORY_SAMPLES = 30
const DIRECTORY_BLOCKS = 3
const BASE: DirectoryQuery = { search: '', status: null, plan: null, industry: null, sort: 'name', direction: 'asc' }
const CASES: { name: string; query: DirectoryQuery }[] = [
  { name: 'search by name fragment', query: { ...BASE, search: 'legal' } },
  { name: 'search by domain', query: { ...BASE, search: '.com' } },
  { name: 'filter status + plan, sorted by usage', query: { ...BASE, status: 'active', plan: 'starter', sort: 'usage', direction: 'desc' } },
  { name: 'everything, sorted by verified domains', query: { ...BASE, sort: 'verifiedDomains', direction: 'desc' } }
]

/**
 * One warm-up call (not counted), then `runs` samples of `fn`.
 */
async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return samples
}

async function topUp(admin: pg.Client, size: number): Promise<number> {
  const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from tenants')
  const missing = size - rows[0]!.n
  if (missing <= 0) return rows[0]!.n
  const start = (await admin.query<{ n: number }>(`select count(*)::int as n from tenants where slug like '${EXTRA}%'`)).rows[0]!.n
  await admin.query('begin')
  await admin.query('set local session_replication_role = replica')
  await admin.query(
    `insert into tenants (slug, name, contact_email, business_industry, plan_type, status, status_reason)
     select '${EXTRA}' || i, 'Bench Tenant ' || i || case i % 3 when 0 then ' Legal' else ' Retail' end, 'ops' || i || '@bench-' || i || '.com',
            (array['legal', 'retail', 'health', 'education'])[1 + i % 4], (array['starter', 'professional', 'business', 'enterprise'])[1 + i % 4],
            case when i % 10 = 0 then 'suspended' else 'active' end, case when i % 10 = 0 then 'bench' end
       from generate_series($1::int, $2::int) i`,
    [start + 1, start + missing]
  )
  await admin.query(
    `insert into tenant_domains (tenant_id, domain, verified)
     select t.id, d.prefix || replace(t.slug, '${EXTRA}', 'b') || '.com', d.prefix = ''
       from tenants t cross join (values (''), ('chat.')) d(prefix) where t.slug like '${EXTRA}%' and not exists (select 1 from tenant_domains x where x.tenant_id = t.id)`
  )
  await admin.query(
    `insert into tenant_limits (tenant_id) select t.id from tenants t where t.slug like '${EXTRA}%' and not exists (select 1 from tenant_limits x where x.tenant_id = t.id)`
  )
  await admin.query(
    `insert into tenant_credentials (tenant_id, client_id, client_secret_encrypted, hmac_secret_encrypted, expires_at)
     select t.id, 'bench_' || t.slug, 'enc:bench', 'enc:bench', now() + ((abs(hashtext(t.slug)) % 60) || ' days')::interval
       from tenants t where t.slug like '${EXTRA}%' and not exists (select 1 from tenant_credentials x where x.tenant_id = t.id)`
  )
  await admin.query('commit')
  await admin.query('analyze tenants, tenant_domains, tenant_limits, tenant_credentials')
  // The load rewrote each tenant's kept directory row once per statement (tenants, domains, limits,
  // credentials) and removeExtras once more per table: in service autovacuum clears those versions
  // between such loads; the bench does not wait for it (the directory reads these rows in index order).
  await admin.query('vacuum analyze tenant_directory_summary, tenant_directory_usage')
  return size
}

async function removeExtras(admin: pg.Client): Promise<void> {
  await admin.query('begin')
  await admin.query('set local session_replication_role = replica')
  const extra = `(select id from tenants where slug like '${EXTRA}%')`
  for (const table of ['tenant_credentials', 'tenant_limits', 'tenant_domains', 'operator_tenants']) {
    await admin.query(`delete from ${table} where tenant_id in ${extra}`)
  }
  await admin.query(`delete from tenants where slug like '${EXTRA}%'`)
  await admin.query('commit')
}

export async function benchTenants(options: TenantsBenchOptions = {}): Promise<BenchSection> {
  const log = options.onLog ?? options.log ?? console.log
  const adminUrl = options.adminUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL
  if (!adminUrl) throw new Error('Set BENCH_DATABASE_URL (a superuser URL of a migrated, loaded database).')
  const runs = options.iterations ?? 7
  const samplesPerBlock = Math.ceil((options.iterations ?? DIRECTORY_SAMPLES) / DIRECTORY_BLOCKS)
  const sizes = options.sizes ?? [500, 10_000]
  const config = parseDatabaseUrl(adminUrl)
  const admin = new pg.Client(toClientConfig(config))
  await admin.connect()
  const prefix = (await admin.query<{ p: string }>('select app.role_prefix() as p')).rows[0]!.p
  const operator = { name: `${prefix}_bench_tenants_${randomBytes(3).toString('hex')}`, password: randomBytes(18).toString('base64url') }
  let db: Database | null = null
  const metrics: BenchMetric[] = []
  const notes: string[] = []
  try {
    await createOperator(admin, { name: operator.name, groups: ['admin'], password: operator.password })
    await assignTenant(admin, operator.name, null)
    db = createDatabase({ ...config, user: operator.name, password: operator.password }, { maxConnections: 2 })
    // The sizes alternate, block by block (500, 10,000, 500, …), so a machine that slows down or
    // speeds up during the run weighs on both alike; in a block the cases alternate, one sample of
    // each per round, after a warm-up round that is not counted.
    const samples = new Map<string, number[]>()
    const matches = new Map<string, string>()
    const actualSize: Record<number, number> = {}
    for (let block = 0; block < DIRECTORY_BLOCKS; block++) {
      for (const size of sizes) {
        await removeExtras(admin)
        const actual = await topUp(admin, size)
        actualSize[size] = actual
        log(`directory with ${actual} tenants (block ${block + 1} of ${DIRECTORY_BLOCKS})`)
        for (let round = -1; round < samplesPerBlock; round++) {
          for (const c of CASES) {
            const start = performance.now()
            const page = await listDirectory(db, c.query, { offset: 0, limit: 200 })
            const total = `${page.total}${page.totalCapped ? '+' : ''}`
            const elapsed = performance.now() - start
            if (round < 0) continue
            const key = `${size}/${c.name}`
            samples.set(key, [...(samples.get(key) ?? []), elapsed])
            matches.set(key, total)
          }
        }
      }
    }
    const directoryMedians: Record<number, number> = {}
    for (const size of sizes) {
      const perCase: number[] = []
      for (const c of CASES) {
        const runsOfCase = samples.get(`${size}/${c.name}`)!
        const name = `directory ${actualSize[size]} tenants: ${c.name} (${matches.get(`${size}/${c.name}`)} matches)`
        metrics.push({ name: `${name} p50`, value: median(runsOfCase), unit: 'ms', runs: runsOfCase })
        metrics.push({ name: `${name} p95`, value: percentile(runsOfCase, 95), unit: 'ms' })
        perCase.push(median(runsOfCase))
      }
      directoryMedians[size] = median(perCase)
      metrics.push({ name: `directory ${actualSize[size]} tenants: median over the cases`, value: directoryMedians[size]!, unit: 'ms', note: 'goal ≤ 20 ms' })
    }
    if (sizes.length >= 2) {
      const [small, large] = [sizes[0]!, sizes[sizes.length - 1]!]
      metrics.push({ name: `directory response ratio ${large} / ${small} tenants`, value: directoryMedians[large]! / directoryMedians[small]!, unit: '×', note: 'goal ≤ 1.5' })
    }
    await removeExtras(admin)

    // The busiest real tenants (most audit rows) make the worst case for the timeline.
    const sample = await admin.query<{ tenant_id: string }>(
      `select tenant_id from audit_logs where tenant_id is not null group by tenant_id order by count(*) desc limit 3`
    )
    const openSamples: number[] = []
    for (const { tenant_id: tenantId } of sample.rows) {
      openSamples.push(
        ...(await timed(Math.max(3, Math.floor(runs / 2)), () =>
          Promise.all([tenantDetail(db!, tenantId), tenantTimeline(db!, tenantId, { kinds: [...TIMELINE_KINDS], before: null, limit: 100 })])
        ))
      )
    }
    // A scratch database (migrated, no seed) has no audited tenant: its directory is still measured.
    if (openSamples.length > 0) {
      metrics.push({ name: 'open a tenant: detail + first 100 timeline entries (busiest tenants)', value: median(openSamples), unit: 'ms', runs: openSamples })
    } else {
      notes.push('Open a tenant: not measured, no tenant has audit rows (an unseeded database).')
    }
    notes.push(`As an admin operator assigned to all tenants, under RLS; directory: ${samplesPerBlock * DIRECTORY_BLOCKS} samples per case and size in ${DIRECTORY_BLOCKS} blocks alternating the sizes, each after a warm-up round; open a tenant: ${Math.max(3, Math.floor(runs / 2))} runs per tenant after one warm-up.`)
  } finally {
    await db?.close()
    await removeExtras(admin).catch(() => undefined)
    await admin.query(`drop owned by "${operator.name}"`).catch(() => undefined)
    await admin.query(`drop role if exists "${operator.name}"`).catch(() => undefined)
    await admin.end()
  }
  for (const m of metrics) log(`${m.name}: ${m.value.toFixed(1)} ${m.unit}`)
  return { id: 'tenants', title: 'Tenant directory and detail', metrics, notes }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchTenants()
}
