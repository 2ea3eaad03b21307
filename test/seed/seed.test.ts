import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/main/db/database'
import { demoOperatorName, demoOperators, seedDatabase, type SeedProgress, type SeedResult } from '../../src/main/demo/seed'
import { SCALES } from '../../src/main/demo/seed/scale'
import { plantedUsage } from '../../src/main/demo/seed/tables/usage'
import { startOfUtcHour } from '../../src/main/demo/seed/time'
import { buildWorld } from '../../src/main/demo/seed/world'
import { RpcError } from '../../src/shared/rpc/errors'
import { analyzeWorkflow } from '../../src/main/domains/marketplace/risk'
import { tableChecksums } from './checksum'
import { dropRoles, freshDatabase, seedRolePrefix, type SeedTestDatabase } from './databases'

const anchor = startOfUtcHour()
const operatorPassword = randomBytes(18).toString('base64url')

let a: SeedTestDatabase
let b: SeedTestDatabase
let c: SeedTestDatabase
let resultA: SeedResult
let sumsA: Record<string, string>
const progress: SeedProgress[] = []
let clientA: pg.Client

beforeAll(async () => {
  ;[a, b, c] = [await freshDatabase('seed_a'), await freshDatabase('seed_b'), await freshDatabase('seed_c')]
  resultA = await seedDatabase(a.config, { scale: 'demo', seed: 42, anchor, operatorPassword, onProgress: (p) => progress.push(p) })
  await seedDatabase(b.config, { scale: 'demo', seed: 42, anchor })
  await seedDatabase(c.config, { scale: 'demo', seed: 7, anchor })
  clientA = await a.client()
  sumsA = await tableChecksums(clientA)
}, 300_000)

afterAll(async () => {
  await clientA?.end()
  for (const db of [a, b, c]) await db?.drop()
  await dropRoles()
})

async function scalar<T>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await clientA.query(sql, params)
  return Object.values(rows[0] as object)[0] as T
}

describe('determinism', () => {
  it('loads identical rows, ids included, for the same seed into two databases', async () => {
    const clientB = await b.client()
    try {
      const sumsB = await tableChecksums(clientB)
      expect(Object.keys(sumsA).length).toBeGreaterThan(25)
      expect(sumsB).toEqual(sumsA)
      for (const table of ['tenants', 'executions', 'execution_steps', 'audit_logs', 'usage_records', 'daily_usage_summary', 'events', 'user_consent']) {
        expect(sumsA[table], table).not.toMatch(/^0:/)
      }
    } finally {
      await clientB.end()
    }
  })

  it('loads different rows for a different seed', async () => {
    const clientC = await c.client()
    try {
      const sumsC = await tableChecksums(clientC)
      for (const table of ['tenants', 'users', 'executions', 'conversations', 'audit_logs', 'usage_records', 'templates']) {
        expect(sumsC[table], table).not.toBe(sumsA[table])
      }
      // Same scale: fixed-size tables keep their row counts.
      expect(sumsC.tenants!.split(':')[0]).toBe(sumsA.tenants!.split(':')[0])
    } finally {
      await clientC.end()
    }
  })

  it('reports the rows it loaded, matching the tables', async () => {
    for (const [table, count] of Object.entries(resultA.rows)) {
      expect(await scalar<string>(`select count(*) from public.${table}`), table).toBe(String(count))
    }
  })
})

describe('loading', () => {
  it('reports progress that only grows, ends at the plan and completes each table once', () => {
    expect(progress.length).toBeGreaterThan(10)
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.rows).toBeGreaterThanOrEqual(progress[i - 1]!.rows)
    const last = progress.at(-1)!
    expect(last.rows).toBe(last.planned)
    const done = progress.filter((p) => p.tableDone).map((p) => p.table)
    expect(new Set(done).size).toBe(done.length)
    expect(done.sort()).toEqual(Object.keys(resultA.rows).sort())
  })

  it('refuses to seed a database that already has tenants, and changes nothing', async () => {
    const error = await seedDatabase(a.config, { scale: 'demo', seed: 1, anchor }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).code).toBe('CONFLICT')
    expect(await tableChecksums(clientA)).toEqual(sumsA)
  })

  it('rejects a bad seed before connecting', async () => {
    await expect(seedDatabase(a.config, { scale: 'demo', seed: -1 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })

  it('keeps every foreign key although the load bypasses the FK triggers', async () => {
    const { rows } = await clientA.query<{ child: string; parent: string; cols: string; pcols: string }>(`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
             (select string_agg(format('c.%I', a.attname), ',' order by k.o) from unnest(c.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n) as cols,
             (select string_agg(format('p.%I', a.attname), ',' order by k.o) from unnest(c.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n) as pcols
        from pg_constraint c where c.contype = 'f' and c.connamespace = 'public'::regnamespace and c.conparentid = 0`)
    expect(rows.length).toBeGreaterThan(20)
    for (const fk of rows) {
      const orphans = await scalar<string>(
        `select count(*) from ${fk.child} c where row(${fk.cols}) is not null and not exists (select 1 from ${fk.parent} p where row(${fk.pcols}) = row(${fk.cols}))`
      )
      expect(orphans, `${fk.child} → ${fk.parent}`).toBe('0')
    }
  })
})

describe('demo content', () => {
  it('has about 30 tenants in Spanish and English, some suspended or closed with a reason', async () => {
    const { rows } = await clientA.query<{ language: string; n: string }>(`select settings->>'language' as language, count(*) as n from tenants group by 1 order by 1`)
    expect(rows.map((r) => r.language)).toEqual(['en', 'es'])
    expect(rows.every((r) => Number(r.n) >= 10)).toBe(true)
    expect(await scalar<string>(`select count(*) from tenants where name in ('Clínica Dental Sonrisa', 'Ferretería El Martillo', 'Northwind Legal')`)).toBe('3')
    expect(Number(await scalar<string>(`select count(*) from tenants where status <> 'active' and length(status_reason) > 10`))).toBeGreaterThan(0)
    expect(Number(await scalar<string>(`select count(*) from tenant_domains where verified`))).toBeGreaterThan(0)
    expect(Number(await scalar<string>(`select count(*) from tenant_domains where not verified`))).toBeGreaterThan(0)
  })

  it('has conversations in both languages, with low-confidence answers and seed 000 session context', async () => {
    expect(Number(await scalar<string>(`select count(*) from conversations where message ~ '[¿¡ñáéíóú]'`))).toBeGreaterThan(20)
    expect(Number(await scalar<string>(`select count(*) from conversations where message ~ '\\m(the|you|my)\\M'`))).toBeGreaterThan(20)
    expect(Number(await scalar<string>(`select count(*) from conversations where confidence_score < 0.5`))).toBeGreaterThan(0)
    expect(Number(await scalar<string>(`select count(*) from conversations where confidence_score >= 0.8`))).toBeGreaterThan(0)
    const bad = await scalar<string>(`select count(*) from sessions where not (context ? 'userPreferences' and context->'businessContext' ? 'industry' and context->'userPreferences'->>'language' in ('es', 'en'))`)
    expect(bad).toBe('0')
  })

  it('has executions that mostly succeed and fail with realistic errors, each failure on its failing step', async () => {
    const { rows } = await clientA.query<{ status: string; n: string }>(`select status, count(*) as n from executions group by 1`)
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
    expect(byStatus.success!).toBeGreaterThan(0.75 * Object.values(byStatus).reduce((x, y) => x + y, 0))
    expect(byStatus.error).toBeGreaterThan(0)
    for (const pattern of ['HTTP 429 from api.openai.com%', 'Timeout after 30000 ms calling WhatsApp Cloud API%', 'Invalid credentials for node %']) {
      expect(Number(await scalar<string>(`select count(*) from executions where status = 'error' and error_data->>'message' like $1`, [pattern])), pattern).toBeGreaterThan(0)
    }
    const mismatched = await scalar<string>(`
      select count(*) from executions e
       where e.status = 'error'
         and not exists (select 1 from execution_steps s where s.tenant_id = e.tenant_id and s.execution_id = e.id and s.status = 'error' and s.error_message = e.error_message)`)
    expect(mismatched).toBe('0')
  })

  it('has templates in every moderation state, rejections with a reason and hidden reviews with a reason', async () => {
    const { rows } = await clientA.query<{ status: string }>(`select distinct status from templates order by 1`)
    expect(rows.map((r) => r.status)).toEqual(['approved', 'draft', 'in_review', 'published', 'rejected', 'submitted', 'taken_down'])
    expect(await scalar<string>(`select count(*) from templates where status = 'rejected' and (rejection_reason is null or reviewer is null)`)).toBe('0')
    expect(Number(await scalar<string>(`select count(*) from reviews where hidden and length(hidden_reason) > 5 and hidden_by is not null`))).toBeGreaterThan(0)
    expect(Number(await scalar<string>(`select count(*) from template_purchases`))).toBeGreaterThan(0)
    // Ratings agree with the visible reviews.
    const drift = await scalar<string>(`
      select count(*) from templates t
       where t.rating_count <> (select count(*) from reviews r where r.template_id = t.id and not r.hidden)`)
    expect(drift).toBe('0')
  })

  it('has a moderation queue the risk panel has work in: versions, a planted key, a 300-node workflow, resubmissions', async () => {
    const versions = await clientA.query<{ definition: unknown; content_hash: string; expected: string }>(
      `select v.definition, v.content_hash, app.template_content_hash(v.definition, v.name, v.description, v.category, v.price, v.currency) as expected
         from template_versions v join templates t on t.current_version_id = v.id
        where t.status in ('submitted', 'in_review') order by t.submitted_at, t.id`
    )
    for (const v of versions.rows) expect(v.content_hash).toBe(v.expected)
    const oldest = analyzeWorkflow(versions.rows[0]!.definition)
    expect(oldest.findings.filter((f) => f.kind === 'hardcoded_secret')).toHaveLength(1)
    expect(oldest.hosts).toEqual(['api.stripe.com', 'hooks.slack.com'])
    const sizes = versions.rows.map((v) => analyzeWorkflow(v.definition).stats.nodes)
    expect(Math.max(...sizes)).toBe(300)
    expect(Number(await scalar<string>(`select count(*) from templates t where (select count(*) from template_versions v where v.template_id = t.id) = 2`))).toBeGreaterThan(0)
    expect(Number(await scalar<string>(`select count(*) from reviews where not hidden and content ilike '%idiotas%'`))).toBeGreaterThan(0)
    // History agrees with the states: every template out of draft has its submission, every decision its moderator.
    expect(await scalar<string>(`select count(*) from templates t where status <> 'draft' and not exists (select 1 from moderation_history h where h.template_id = t.id and h.action = 'submit')`)).toBe('0')
    expect(await scalar<string>(`select count(*) from templates t where status = 'taken_down' and not exists (select 1 from moderation_history h where h.template_id = t.id and h.action = 'take_down' and h.created_by = t.taken_down_by)`)).toBe('0')
  })

  it('has consent histories with grants, revocations and re-grants', async () => {
    expect(Number(await scalar<string>(`select count(*) from user_consent where granted`))).toBeGreaterThan(0)
    expect(Number(await scalar<string>(`select count(*) from user_consent where not granted and revoked_at is not null`))).toBeGreaterThan(0)
    const regranted = await scalar<string>(`
      select count(*) from user_consent g
       where g.granted and exists (select 1 from user_consent r where r.tenant_id = g.tenant_id and r.user_id = g.user_id
                                      and r.consent_type = g.consent_type and r.revoked_at < g.granted_at)`)
    expect(Number(regranted)).toBeGreaterThan(0)
  })

  it('links every revocation to its grant and every consenting session to a grant of its user', async () => {
    expect(await scalar<string>(`select count(*) from user_consent where not granted and revokes_id is null`)).toBe('0')
    expect(await scalar<string>(`
      select count(*) from sessions s where s.consent_flag
         and not exists (select 1 from user_consent c where c.id = s.consent_record_id and c.granted and c.user_id = s.user_id and c.tenant_id = s.tenant_id)`)).toBe('0')
    // Every person with a consent record or a session is a data subject; some can be found by email, some by phone.
    expect(await scalar<string>(`
      select count(*) from (select tenant_id, user_id from user_consent union select tenant_id, user_id from sessions) p
       where not exists (select 1 from data_subjects d where d.tenant_id = p.tenant_id and d.external_id = p.user_id)`)).toBe('0')
    expect(Number(await scalar<string>(`select count(*) from data_subjects where email is not null`))).toBeGreaterThan(0)
    expect(Number(await scalar<string>(`select count(*) from data_subjects where phone is not null`))).toBeGreaterThan(0)
  })

  it('has data-subject requests in every state, one overdue, and an erasure with its receipt', async () => {
    const { rows } = await clientA.query<{ status: string }>(`select distinct status from data_subject_requests order by 1`)
    expect(rows.map((r) => r.status)).toEqual(['denied', 'fulfilled', 'identity_verified', 'in_progress', 'received'])
    const types = await clientA.query<{ request_type: string }>(`select distinct request_type from data_subject_requests order by 1`)
    expect(types.rows.map((r) => r.request_type)).toEqual(['access', 'erasure', 'rectification', 'restriction'])
    expect(await scalar<string>(`select count(*) from data_subject_requests where status not in ('fulfilled', 'denied') and due_at < $1`, [anchor])).toBe('1')
    expect(await scalar<string>(`select count(*) from erasure_receipts r join data_subject_requests d on d.id = r.request_id where d.subject_id is null and d.erasure_approved_by <> d.requested_by`)).toBe('1')
  })

  it('has one person with 10,000 messages, and global learnings from people who later revoked consent to training', async () => {
    expect(await scalar<string>(`select max(n) from (select count(*) as n from conversations group by tenant_id, user_id) c`)).toBe('10000')
    const impacted = await scalar<string>(`
      select count(distinct d.derived_id) from derivation_sources d join data_subjects s on s.id = d.subject_id
       where exists (select 1 from consent_current c where c.tenant_id = s.tenant_id and c.user_id = s.external_id and c.consent_type = 'ai_training' and not c.granted)`)
    expect(Number(impacted)).toBeGreaterThan(0)
  })

  it('has credentials expiring within 14 days, expired ones and healthy ones, with fake ciphertext only', async () => {
    const counts = await clientA.query<{ soon: string; expired: string; healthy: string; plain: string }>(
      `select count(*) filter (where expires_at between $1 and $1 + interval '14 days') as soon,
              count(*) filter (where expires_at < $1) as expired,
              count(*) filter (where expires_at > $1 + interval '30 days') as healthy,
              count(*) filter (where client_secret_encrypted not like 'enc:v1:%' or hmac_secret_encrypted not like 'enc:v1:%') as plain
         from tenant_credentials`,
      [anchor]
    )
    const row = counts.rows[0]!
    expect(Number(row.soon)).toBeGreaterThan(0)
    expect(Number(row.expired)).toBeGreaterThan(0)
    expect(Number(row.healthy)).toBeGreaterThan(0)
    expect(row.plain).toBe('0')
  })

  it('has 90 days of usage with the daily rollup folded to match, per currency', async () => {
    const span = await clientA.query<{ days: number }>(`select extract(day from max(recorded_at) - min(recorded_at))::int as days from usage_records`)
    expect(span.rows[0]!.days).toBeGreaterThanOrEqual(88)
    const diff = await scalar<string>(`
      select count(*) from (
        select tenant_id, usage_type, (recorded_at at time zone 'UTC')::date as d, currency, sum(quantity) as q, sum(quantity * unit_price) as a
          from usage_records group by 1, 2, 3, 4
      ) u full join daily_usage_summary s on s.tenant_id = u.tenant_id and s.usage_type = u.usage_type and s.usage_date = u.d and s.currency = u.currency
       where s.total_quantity is distinct from u.q or s.total_amount is distinct from u.a`)
    expect(diff).toBe('0')
    expect(await scalar<string>('select count(*) from usage_rollup_deltas')).toBe('0')
  })

  it('bills usage in the tenant subscription’s price-book currency and price, in at least three currencies', async () => {
    const off = await scalar<string>(`
      select count(*) from usage_records u
        join subscriptions s on s.tenant_id = u.tenant_id
        join price_book_unit_prices p on p.price_book_id = s.price_book_id and p.usage_type = u.usage_type
       where u.currency <> p.currency or u.unit_price <> p.unit_price`)
    expect(off).toBe('0')
    expect(Number(await scalar<string>('select count(distinct currency) from usage_records'))).toBeGreaterThanOrEqual(3)
    expect(await scalar<string>('select count(*) from subscriptions where price_book_id is null')).toBe('0')
  })

  it('has one executions usage record per execution, at its start, for its tenant', async () => {
    const unmatched = await scalar<string>(`
      select count(*) from executions e
       where not exists (select 1 from usage_records u
                          where u.usage_type = 'executions' and u.tenant_id = e.tenant_id and u.recorded_at = e.started_at)`)
    expect(unmatched).toBe('0')
  })

  it('gives purchase events the amount and currency of their purchase', async () => {
    const { rows } = await clientA.query<{ events: string; mismatched: string }>(`
      select count(*) as events,
             count(*) filter (where p.id is null or (e.event_data ->> 'currency') <> p.currency
                              or (e.event_data ->> 'amount')::numeric <> p.price_paid or e.tenant_id <> p.tenant_id) as mismatched
        from events e left join template_purchases p on p.id = (e.event_data ->> 'purchaseId')::uuid
       where e.event_type = 'template_purchase'`)
    expect(Number(rows[0]!.events)).toBeGreaterThan(0)
    expect(rows[0]!.mismatched).toBe('0')
  })

  it('plants agent-call anomalies (robust score over the trailing 28 days) and tenants over their daily limit', async () => {
    const world = buildWorld('demo', SCALES.demo, 42, anchor, seedRolePrefix())
    const planted = plantedUsage(world).filter((p) => p.kind === 'anomaly')
    expect(planted.length).toBeGreaterThanOrEqual(3)
    // Median absolute deviation over the previous 28 days with usage. Every planted day must stand
    // out; the random history may hold a natural outlier of its own (which hour anchors the world
    // decides), so the test asks for the planted days' scores, not for them to be the only high ones.
    const { rows } = await clientA.query<{ key: string; score: number }>(`
      with d as (select tenant_id, usage_date, sum(total_quantity) as q from daily_usage_summary where usage_type = 'ai_calls' group by 1, 2),
      m as (select d.*, (select percentile_cont(0.5) within group (order by p.q) from d p
                          where p.tenant_id = d.tenant_id and p.usage_date between d.usage_date - 28 and d.usage_date - 1) as med from d),
      s as (select m.*, (select percentile_cont(0.5) within group (order by abs(p.q - m.med)) from d p
                          where p.tenant_id = m.tenant_id and p.usage_date between m.usage_date - 28 and m.usage_date - 1) as mad from m)
      select tenant_id || ' ' || usage_date::text as key, ((q - med) / (1.4826 * mad))::float8 as score
        from s where mad > 0 and tenant_id || ' ' || usage_date::text = any($1::text[])`,
      [planted.map((p) => `${p.tenant.id} ${p.recordedAt.toISOString().slice(0, 10)}`)]
    )
    expect(rows.map((r) => r.key).sort()).toEqual(planted.map((p) => `${p.tenant.id} ${p.recordedAt.toISOString().slice(0, 10)}`).sort())
    expect(Math.min(...rows.map((r) => r.score))).toBeGreaterThan(15)
    const over = await scalar<string>(`
      select count(distinct u.tenant_id) from daily_usage_summary u join tenant_limits l on l.tenant_id = u.tenant_id and l.active
       where u.usage_type = 'ai_calls' and u.total_quantity > l.agent_usage_limit and u.usage_date >= $1::date - 7`, [anchor])
    expect(Number(over)).toBeGreaterThanOrEqual(2)
  })

  it('spreads events over several monthly partitions', async () => {
    const partitions = await scalar<string>(`select count(distinct tableoid) from events`)
    expect(Number(partitions)).toBeGreaterThanOrEqual(3)
  })
})

describe('audit trail and operators', () => {
  it('creates one operator per group, with the given password and their assignments', async () => {
    const names = demoOperators(seedRolePrefix()).map((o) => o.name)
    expect(resultA.operators).toEqual(names)
    const { rows } = await clientA.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(`select rolname, rolsuper, rolbypassrls from pg_roles where rolname = any($1)`, [names])
    expect(rows).toHaveLength(names.length)
    expect(rows.every((r) => !r.rolsuper && !r.rolbypassrls)).toBe(true)
    for (const group of ['support', 'moderator', 'finance', 'admin'] as const) {
      expect(await scalar<boolean>(`select pg_has_role($1, $2, 'MEMBER')`, [demoOperatorName(seedRolePrefix(), group), `${seedRolePrefix()}_${group}`])).toBe(true)
    }

    const lucia = createDatabase({ ...a.config, user: demoOperatorName(seedRolePrefix(), 'support'), password: operatorPassword })
    try {
      const visible = await lucia.withPlatform((client) => client.query<{ language: string }>(`select settings->>'language' as language from tenants`))
      expect(visible.rows.length).toBeGreaterThan(5)
      expect(new Set(visible.rows.map((r) => r.language))).toEqual(new Set(['es']))
    } finally {
      await lucia.close()
    }
  })

  it('has audit rows whose chains verify intact for the all-tenants admin', async () => {
    const admin = createDatabase({ ...a.config, user: demoOperatorName(seedRolePrefix(), 'admin'), password: operatorPassword })
    try {
      const statuses = await admin.withPlatform((client) =>
        client.query<{ status: string; n: string }>(`select v.status, count(*) as n from tenants t cross join lateral app.verify_audit_chain(t.id) v group by 1`)
      )
      expect(statuses.rows).toEqual([{ status: 'intact', n: '30' }])
    } finally {
      await admin.close()
    }
    // Operators' actions, by real operator names.
    const actors = await clientA.query<{ actor: string }>(`select distinct actor from audit_logs order by 1`)
    expect(actors.rows.map((r) => r.actor).every((actor) => actor.startsWith(`${seedRolePrefix()}_`))).toBe(true)
  })

  it('never lets a credential value into the audit trail', async () => {
    const redacted = await scalar<string>(`select count(*) from audit_logs where resource_type = 'tenant_credentials' and new_values->'client_secret_encrypted'->>'redacted' = 'true'`)
    expect(Number(redacted)).toBeGreaterThan(0)
    expect(await scalar<string>(`select count(*) from audit_logs where old_values::text like '%enc:v1:%' or new_values::text like '%enc:v1:%'`)).toBe('0')
  })
})
