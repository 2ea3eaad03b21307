// Issue 12's figures: identity lookup by email across 200,000 consent records (goal p95 ≤ 20 ms),
// the access export (ZIP) of a person with 10,000 messages, time and peak memory (goal ≤ 2 s), and
// the four-eyes erasure of that person (goal ≤ 2 s).
// Self-contained: it creates a scratch database on the bench server (BENCH_DATABASE_URL's
// server), migrates it, bulk-loads only the consent slice at the bench scale with SQL, measures
// as real operator roles, and drops the database and its roles at the end.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { createDatabase } from '../src/main/db/database'
import { exportAccessZip } from '../src/main/domains/consent/export'
import { createExportJobs } from '../src/main/exports/jobs'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { migrate } from '../src/main/db/migrate'
import { assignTenant, createOperator } from '../src/main/db/operators'
import type { ConnectionConfig } from '../src/main/db/types'
import { median, percentile, type BenchContext, type BenchSection } from './report'

const TENANTS = 500
const SUBJECTS = 100_000
/** Two records per subject: a data_processing grant, then an ai_training grant or (every 4th) the grant's revocation. */
const CONSENT_RECORDS = 2 * SUBJECTS
const HEAVY_MESSAGES = 10_000
const LOOKUPS = 400
const BENCH_TENANT_EXECUTIONS = 2_000
const BENCH_TENANT_USAGE = 4_000
const BENCH_TENANT_AUDIT = 2_000

const round = (ms: number) => Math.round(ms * 100) / 100

async function connect(config: ConnectionConfig): Promise<pg.Client> {
  const client = new pg.Client({ ...toClientConfig(config), application_name: 'avia-bench-consent' })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** The consent slice of the bench scale, loaded with triggers off (as the seed does). */
async function load(admin: pg.Client): Promise<{ heavy: { tenant: string; subject: string } }> {
  await admin.query('begin')
  await admin.query('set local session_replication_role = replica')
  await admin.query(`insert into tenants (id, slug, name) select gen_random_uuid(), 'bench-' || i, 'Bench tenant ' || i from generate_series(1, $1::int) i`, [TENANTS])
  await admin.query(`
    create temporary table bench_tenants on commit drop as
    select row_number() over (order by id) - 1 as n, id from tenants`)
  await admin.query(
    `insert into data_subjects (tenant_id, external_id, email, phone)
     select t.id, 'web:' || md5(i::text), case when i % 10 < 7 then 'cliente.' || i || '@gmail.com' end, null
       from generate_series(1, $1::int) i join bench_tenants t on t.n = i % $2::int`,
    [SUBJECTS, TENANTS]
  )
  await admin.query(`
    insert into user_consent (id, tenant_id, user_id, consent_type, granted, granted_at, created_at, policy_version, legal_basis, source_channel, evidence_hash)
    select gen_random_uuid(), tenant_id, external_id, 'data_processing', true, now() - interval '60 days', now() - interval '60 days', '2025-01', 'consent', 'web',
           encode(sha256(external_id::bytea), 'hex')
      from data_subjects`)
  await admin.query(`
    insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, revoked_at, created_at, revokes_id, policy_version, legal_basis, source_channel)
    select s.tenant_id, s.external_id, case when revoke then c.consent_type else 'ai_training' end, not revoke, case when revoke then c.granted_at else now() - interval '30 days' end,
           case when revoke then now() - interval '10 days' end, now() - interval '10 days', case when revoke then c.id end, '2025-01', 'consent', 'web'
      from data_subjects s join user_consent c on c.tenant_id = s.tenant_id and c.user_id = s.external_id,
           lateral (select (hashtext(s.external_id) % 4 = 0) as revoke) r`)
  // The heavy person: one session with 10,000 messages, a usage row that names them.
  const heavy = (await admin.query<{ tenant: string; subject: string; external_id: string; grant: string }>(`
    select s.tenant_id as tenant, s.id as subject, s.external_id, c.id as grant from data_subjects s
      join user_consent c on c.tenant_id = s.tenant_id and c.user_id = s.external_id and c.consent_type = 'data_processing'
     order by s.external_id limit 1`)).rows[0]!
  const session = (await admin.query<{ id: string }>(
    `insert into sessions (tenant_id, session_key, user_id, channel, consent_flag, consent_record_id) values ($1, 'sess_bench_heavy', $2, 'web', true, $3) returning id`,
    [heavy.tenant, heavy.external_id, heavy.grant]
  )).rows[0]!.id
  await admin.query(
    `insert into conversations (tenant_id, session_id, user_id, message, response, consent_flag, created_at)
     select $1, $2, $3, 'Mensaje número ' || i || ': ¿tenéis cita para el jueves?', 'Respuesta ' || i, true, now() - make_interval(secs => $4::int - i)
       from generate_series(1, $4::int) i`,
    [heavy.tenant, session, heavy.external_id, HEAVY_MESSAGES]
  )
  await admin.query(
    `insert into usage_records (tenant_id, usage_type, quantity, currency, metadata, period_start, period_end) values ($1, 'ai_calls', 10000, 'EUR', jsonb_build_object('end_user', $2::text), now() - interval '30 days', now())`,
    [heavy.tenant, heavy.external_id]
  )
  // The rest of a bench-scale tenant that the erasure reads through: 1M executions, 2M usage rows
  // and 1M audit rows over 500 tenants are 2,000, 4,000 and 2,000 per tenant.
  const workflow = (await admin.query<{ id: string }>(`insert into workflows (tenant_id, name) values ($1, 'Lead intake') returning id`, [heavy.tenant])).rows[0]!.id
  await admin.query(
    `insert into executions (tenant_id, workflow_id, status, input_data, started_at, finished_at)
     select $1, $2, 'success', jsonb_build_object('from', 'web:' || md5('other' || i)), now() - make_interval(mins => i), now() - make_interval(mins => i) + interval '2 seconds'
       from generate_series(1, $3::int) i`,
    [heavy.tenant, workflow, BENCH_TENANT_EXECUTIONS]
  )
  await admin.query(
    `insert into usage_records (tenant_id, usage_type, quantity, currency, metadata, period_start, period_end)
     select $1, 'executions', 1, 'EUR', '{"source": "n8n"}', now() - make_interval(hours => i), now() - make_interval(hours => i) from generate_series(1, $2::int) i`,
    [heavy.tenant, BENCH_TENANT_USAGE]
  )
  await admin.query(
    `insert into audit_logs (tenant_id, actor, action, resource_type, resource_id, new_values, created_at)
     select $1, 'bench', 'UPDATE', 'sessions', gen_random_uuid(), jsonb_build_object('user_id', 'web:' || md5('other' || i)), now() - make_interval(mins => i)
       from generate_series(1, $2::int) i`,
    [heavy.tenant, BENCH_TENANT_AUDIT]
  )
  await admin.query('commit')
  await admin.query('select app.audit_rechain($1)', [heavy.tenant])
  await admin.query('analyze')
  const counted = Number((await admin.query('select count(*) from user_consent')).rows[0]!.count)
  if (counted !== CONSENT_RECORDS) throw new Error(`bench consent: loaded ${counted} consent records, planned ${CONSENT_RECORDS}`)
  return { heavy: { tenant: heavy.tenant, subject: heavy.subject } }
}

export async function benchConsent(ctx: Pick<BenchContext, 'log' | 'adminUrl'>): Promise<BenchSection> {
  const server = parseDatabaseUrl(ctx.adminUrl)
  const suffix = randomBytes(3).toString('hex')
  const database = `avia_bench_consent_${suffix}`
  const rolePrefix = `bcons${suffix}`
  const root = await connect({ ...server, database: 'postgres' })
  await root.query(`create database ${root.escapeIdentifier(database)}`)
  const config: ConnectionConfig = { ...server, database }
  const clients: pg.Client[] = []
  try {
    ctx.log(`migrating ${database}…`)
    await migrate(config, { rolePrefix })
    const admin = await connect(config)
    clients.push(admin)
    ctx.log(`loading ${CONSENT_RECORDS.toLocaleString('en-US')} consent records over ${SUBJECTS.toLocaleString('en-US')} people in ${TENANTS} tenants…`)
    const { heavy } = await load(admin)

    const password = randomBytes(18).toString('base64url')
    const operators = { all: `${rolePrefix}_admin_all`, support: `${rolePrefix}_support_50`, approver: `${rolePrefix}_approver` }
    await createOperator(admin, { name: operators.all, groups: ['admin'], password })
    await assignTenant(admin, operators.all, null)
    await createOperator(admin, { name: operators.approver, groups: ['admin'], password })
    await assignTenant(admin, operators.approver, null)
    await createOperator(admin, { name: operators.support, groups: ['support'], password })
    const tenants = (await admin.query<{ id: string }>('select id from tenants order by id')).rows.map((r) => r.id)
    for (const t of [heavy.tenant, ...tenants.filter((t) => t !== heavy.tenant).slice(0, 49)]) await assignTenant(admin, operators.support, t)

    const emails = (await admin.query<{ email: string }>(`select email from data_subjects where email is not null order by md5(id::text) limit $1`, [LOOKUPS])).rows.map((r) => r.email)
    const timeLookups = async (name: string): Promise<number[]> => {
      const client = await connect({ ...config, user: name, password })
      clients.push(client)
      for (const email of emails.slice(0, 20)) await client.query('select * from app.lookup_subject($1, $2)', ['email', email])
      const samples: number[] = []
      for (const email of emails) {
        const started = process.hrtime.bigint()
        await client.query('select * from app.lookup_subject($1, $2)', ['email', email])
        samples.push(Number(process.hrtime.bigint() - started) / 1e6)
      }
      return samples
    }
    ctx.log(`timing ${LOOKUPS} lookups by email as an admin of all tenants and as support of 50…`)
    const allSamples = await timeLookups(operators.all)
    const supportSamples = await timeLookups(operators.support)
    const audited = Number((await admin.query(`select count(*) from audit_logs where action = 'LOOKUP'`)).rows[0]!.count)

    const support = await connect({ ...config, user: operators.support, password })
    const approver = await connect({ ...config, user: operators.approver, password })
    clients.push(support, approver)

    ctx.log(`exporting the data of the person with ${HEAVY_MESSAGES.toLocaleString('en-US')} messages (and of one with none) as ZIPs…`)
    const light = (await admin.query<{ tenant: string; subject: string }>(
      `select tenant_id as tenant, id as subject from data_subjects where tenant_id = $1 and id <> $2 order by external_id limit 1`,
      [heavy.tenant, heavy.subject]
    )).rows[0]!
    const exportDir = await mkdtemp(path.join(tmpdir(), 'avia-bench-consent-'))
    const supportDb = createDatabase({ ...config, user: operators.support, password })
    const exportsOf = createExportJobs(exportDir)
    const timeExport = async (person: { tenant: string; subject: string }) => {
      let open = (await support.query('select * from app.create_subject_request($1, $2, $3, $4)', [person.tenant, person.subject, 'access', 'gdpr'])).rows[0]
      open = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [open.id, open.version, 'identity_verified'])).rows[0]
      global.gc?.()
      const baseline = process.memoryUsage()
      let peakHeap = baseline.heapUsed
      let peakRss = baseline.rss
      const sampler = setInterval(() => {
        const now = process.memoryUsage()
        peakHeap = Math.max(peakHeap, now.heapUsed)
        peakRss = Math.max(peakRss, now.rss)
      }, 5)
      const began = process.hrtime.bigint()
      const started = await exportAccessZip(supportDb, exportsOf, { tenantId: person.tenant, requestId: open.id, jobId: `bench-${open.id.slice(0, 8)}` }, () => undefined)
      await exportsOf.settled(started.exportId)
      const ms = Number(process.hrtime.bigint() - began) / 1e6
      clearInterval(sampler)
      const ready = exportsOf.ready(started.exportId)
      await exportsOf.remove(started.exportId)
      // Closed, so the erasure below does not wait on an open request of the same person.
      open = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [open.id, open.version, 'in_progress'])).rows[0]
      await support.query('select * from app.advance_subject_request($1, $2, $3)', [open.id, open.version, 'fulfilled'])
      return { ms, bytes: ready.bytes, heapMb: (peakHeap - baseline.heapUsed) / 1_048_576, rssMb: (peakRss - baseline.rss) / 1_048_576 }
    }
    let heavyExport: Awaited<ReturnType<typeof timeExport>>
    let lightExport: Awaited<ReturnType<typeof timeExport>>
    try {
      lightExport = await timeExport(light)
      heavyExport = await timeExport({ tenant: heavy.tenant, subject: heavy.subject })
    } finally {
      await supportDb.close()
      await rm(exportDir, { recursive: true, force: true })
    }

    ctx.log(`erasing the person with ${HEAVY_MESSAGES.toLocaleString('en-US')} messages…`)
    let request = (await support.query('select * from app.create_subject_request($1, $2, $3, $4)', [heavy.tenant, heavy.subject, 'erasure', 'gdpr'])).rows[0]
    request = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [request.id, request.version, 'identity_verified'])).rows[0]
    request = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [request.id, request.version, 'in_progress'])).rows[0]
    const started = process.hrtime.bigint()
    const receipt = (await approver.query('select * from app.approve_erasure($1, $2)', [request.id, request.version])).rows[0]
    const erasureMs = Number(process.hrtime.bigint() - started) / 1e6
    const left = Number((await admin.query('select count(*) from conversations where tenant_id = $1', [heavy.tenant])).rows[0]!.count)
    if (left !== 0 || receipt.removed.conversations !== HEAVY_MESSAGES) throw new Error(`bench consent: the erasure left ${left} conversations`)

    return {
      id: 'consent',
      title: 'Consent: identity lookup, access export and erasure',
      metrics: [
        { name: 'lookup by email, admin of all tenants, p95', value: round(percentile(allSamples, 95)), unit: 'ms', note: `goal ≤ 20 ms; p50 ${round(median(allSamples))} ms; ${CONSENT_RECORDS.toLocaleString('en-US')} consent records` },
        { name: 'lookup by email, support of 50 tenants, p95', value: round(percentile(supportSamples, 95)), unit: 'ms', note: `p50 ${round(median(supportSamples))} ms` },
        {
          name: `access export (ZIP) of a person with ${HEAVY_MESSAGES.toLocaleString('en-US')} messages`,
          value: round(heavyExport.ms),
          unit: 'ms',
          note: `goal ≤ 2 s; ${(heavyExport.bytes / 1_048_576).toFixed(2)} MB ZIP; peak heap +${heavyExport.heapMb.toFixed(1)} MB, RSS +${heavyExport.rssMb.toFixed(1)} MB over the start (a person with no messages: ${round(lightExport.ms)} ms, heap +${lightExport.heapMb.toFixed(1)} MB, RSS +${lightExport.rssMb.toFixed(1)} MB)`
        },
        { name: `erasure of a person with ${HEAVY_MESSAGES.toLocaleString('en-US')} messages`, value: round(erasureMs), unit: 'ms', note: `goal ≤ 2 s; approve_erasure round trip; the tenant also holds ${BENCH_TENANT_EXECUTIONS.toLocaleString('en-US')} executions, ${BENCH_TENANT_USAGE.toLocaleString('en-US')} usage rows and ${BENCH_TENANT_AUDIT.toLocaleString('en-US')} audit rows (re-chained)` }
      ],
      notes: [
        `Each lookup is one round trip in its own transaction and writes its audit row (${audited} LOOKUP rows written).`,
        `Receipt: removed ${JSON.stringify(receipt.removed)}, pseudonymized ${JSON.stringify(receipt.pseudonymized)}.`
      ]
    }
  } finally {
    for (const client of clients) await client.end().catch(() => undefined)
    await root.query(`drop database if exists ${root.escapeIdentifier(database)} with (force)`).catch(() => undefined)
    const roles = await root.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1 order by rolname desc`, [`${rolePrefix}\\_%`])
    for (const { rolname } of roles.rows) await root.query(`drop role if exists ${root.escapeIdentifier(rolname)}`).catch(() => undefined)
    await root.end()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchConsent({ log: (line) => console.log(`[consent] ${line}`), adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/avia_bench' })
  console.log(JSON.stringify(section, null, 2))
}
