// Credential rotation timings (issue 13): the credentials list at 50,000 credentials (p95 of each
// filter, goal ≤ 50 ms) and a bulk roll of 1,000 due credentials (goal ≤ 10 s, with progress).
// Its own scratch database on the bench server (created, migrated, dropped), an admin operator
// assigned to all tenants, the same domain functions the handlers call.
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { createDatabase } from '../src/main/db/database'
import { migrate } from '../src/main/db/migrate'
import { assignTenant, createOperator } from '../src/main/db/operators'
import type { Database } from '../src/main/db/types'
import { listCredentials } from '../src/main/domains/credentials/queries'
import { rollMany } from '../src/main/domains/credentials/rotation'
import type { CredentialQuery } from '../src/shared/rpc/areas/credentials'
import type { ProgressEvent } from '../src/shared/events'
import { percentile, type BenchMetric, type BenchSection } from './report'

const TENANTS = 500
const CREDENTIALS = 50_000
const DUE = 1_000
const SAMPLES = 30
const ALL: CredentialQuery = { search: '', kind: null, state: null, due: null, tenantId: null }
const CASES: { name: string; filter: CredentialQuery }[] = [
  { name: 'first page, soonest expiry', filter: ALL },
  { name: 'due or overdue', filter: { ...ALL, due: 'attention' } },
  { name: 'search by tenant name', filter: { ...ALL, search: 'bench tenant 42' } },
  { name: 'webhook secrets in grace', filter: { ...ALL, kind: 'webhook_secret', state: 'rolling' } }
]

export async function benchCredentials(options: { adminUrl?: string; log?: (line: string) => void } = {}): Promise<BenchSection> {
  const log = options.log ?? ((line: string) => console.log(line))
  const adminUrl = options.adminUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const server = parseDatabaseUrl(adminUrl)
  const database = `avia_bench_credentials_${randomBytes(3).toString('hex')}`
  const prefix = `bc${randomBytes(3).toString('hex')}`
  const root = new pg.Client(toClientConfig(server))
  await root.connect()
  await root.query(`create database ${database}`)
  const config = { ...server, database }
  const admin = new pg.Client(toClientConfig(config))
  let db: Database | null = null
  const metrics: BenchMetric[] = []
  try {
    await migrate(config, { rolePrefix: prefix })
    await admin.connect()
    const operator = { name: `${prefix}_bench_rotator`, password: randomBytes(18).toString('base64url') }
    await createOperator(admin, { name: operator.name, groups: ['admin'], password: operator.password })
    await assignTenant(admin, operator.name, null)
    await admin.query(`select app.register_runtime_key('bench-runtime', 'HPKE-X25519-SHA256-A256GCM', $1)`, [randomBytes(32).toString('base64url')])
    log(`loading ${CREDENTIALS} credentials over ${TENANTS} tenants`)
    // Triggers off, as the seed loader loads: setup, not the path under test.
    await admin.query('begin')
    await admin.query('set local session_replication_role = replica')
    await admin.query(`insert into tenants (slug, name) select 'bench-' || i, 'Bench Tenant ' || i from generate_series(1, ${TENANTS}) i`)
    await admin.query(
      `insert into tenant_credentials (tenant_id, label, client_id, kind, expires_at, rotated_at)
       select t.id, 'Key ' || i, 'bench-' || i, (array['client_secret', 'webhook_secret', 'client_secret'])[1 + i % 3],
              -- The first ${DUE} expire within the due window (some already past): the bulk roll's targets.
              case when i <= ${DUE} then now() + (i % 20 - 5) * interval '1 day' else now() + (20 + i % 300) * interval '1 day' end, now() - interval '30 days'
         from generate_series(1, ${CREDENTIALS}) i join tenants t on t.slug = 'bench-' || (1 + i % ${TENANTS})`
    )
    await admin.query(
      `insert into credential_versions (tenant_id, credential_id, version, state, activated_at, expires_at, fingerprint, last_used_at)
       select c.tenant_id, c.id, 1, 'active', now() - interval '80 days', c.expires_at, substr(md5(c.id::text), 1, 16), now() - interval '2 hours' from tenant_credentials c`
    )
    await admin.query(
      `insert into credential_versions (tenant_id, credential_id, version, state, activated_at, retiring_at, grace_ends_at, fingerprint)
       select c.tenant_id, c.id, 0 + 2, 'retiring', now() - interval '200 days', now() - interval '1 day', now() + interval '6 days', substr(md5(c.id::text || 'x'), 1, 16)
         from tenant_credentials c where c.kind = 'webhook_secret' and c.client_id like '%7'`
    )
    await admin.query('commit')
    await admin.query('analyze')
    // The console's own pool (createDatabase's default size): the bulk roll's lanes share it as they do there.
    db = createDatabase({ ...config, user: operator.name, password: operator.password })

    // The cases alternate, one sample of each per round, after a warm-up round that is not counted.
    const samples = CASES.map(() => [] as number[])
    for (let round = -1; round < SAMPLES; round++) {
      for (const [index, c] of CASES.entries()) {
        const start = performance.now()
        const page = await listCredentials(db, c.filter, null, 200)
        const elapsed = performance.now() - start
        if (round >= 0) samples[index]!.push(elapsed)
        if (round === -1 && page.rows.length === 0) throw new Error(`the case "${c.name}" found nothing to list`)
      }
    }
    for (const [index, c] of CASES.entries()) {
      metrics.push({ name: `list at ${CREDENTIALS.toLocaleString('en')}: ${c.name} (p95)`, value: percentile(samples[index]!, 95), unit: 'ms', runs: samples[index], note: 'goal ≤ 50 ms' })
    }

    const due = await listCredentials(db, { ...ALL, due: 'attention' }, null, DUE)
    const events: ProgressEvent[] = []
    log(`rolling ${due.rows.length} due credentials`)
    const start = performance.now()
    const result = await rollMany(db, due.rows.map((r) => ({ tenantId: r.tenantId, credentialId: r.id, seenVersion: r.version })), '24h', 'bench-roll', (e) => events.push(e))
    const seconds = (performance.now() - start) / 1000
    if (result.failed.length > 0) throw new Error(`${result.failed.length} rolls failed: ${result.failed[0]!.message}`)
    metrics.push({ name: `bulk roll of ${result.rolled.length} due credentials`, value: seconds, unit: 's', note: `goal ≤ 10 s; ${events.length} progress events, last done=${events.at(-1)?.done}` })
  } finally {
    await db?.close()
    await admin.end().catch(() => undefined)
    await root.query(`drop database if exists ${database} with (force)`)
    const roles = await root.query<{ rolname: string }>('select rolname from pg_roles where rolname like $1', [`${prefix}\\_%`])
    for (const { rolname } of roles.rows) await root.query(`drop role if exists "${rolname}"`)
    await root.end()
  }
  return { id: 'credentials', title: 'Credentials: list at 50,000 and bulk roll of 1,000', metrics }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchCredentials()
  for (const m of section.metrics) console.log(`${m.name}: ${m.value.toFixed(m.unit === 's' ? 2 : 1)} ${m.unit}${m.note ? ` (${m.note})` : ''}`)
}
