import { createHash, randomUUID } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperatorGroup } from '../../src/main/db/operators'
import type { Database } from '../../src/main/db/types'
import { makeTenantWithRows, type TenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator, makeTenant, makeTenants } from '../helpers/db'

let admin: pg.Client
let tenant: string
let rows: TenantRows
const open: Database[] = []

async function operatorDb(group: OperatorGroup, tenants: (string | null)[]): Promise<{ name: string; db: Database }> {
  const op = await makeOperator([group], tenants)
  const db = op.database()
  open.push(db)
  return { name: op.name, db }
}

async function verify(tenantId: string | null) {
  const { rows } = await admin.query<{ status: string; broken_seq: string | null; broken_id: string | null; broken_position: string | null; reason: string | null }>(
    'select * from app.verify_audit_chain($1)',
    [tenantId]
  )
  return rows[0]!
}

beforeAll(async () => {
  admin = await adminClient()
  ;({ tenant, rows } = await makeTenantWithRows(admin, 'audit'))
  await admin.query(`insert into price_book (plan_id, currency, amount) values ('fixture_plan', 'USD', 10)`)
})

afterAll(async () => {
  await Promise.all(open.map((db) => db.close()))
  await admin?.end()
})

/** One console write per audited table, made by an operator of a group allowed to make it. */
const WRITES: Record<string, { group: OperatorGroup; platform?: boolean; sql: (ids: TenantRows, tenantId: string) => [string, unknown[]] }> = {
  tenants: { group: 'support', sql: (_ids, t) => [`update tenants set website_url = 'https://acme.example' where id = $1 returning id`, [t]] },
  operator_tenants: { group: 'admin', sql: (ids) => [`delete from operator_tenants where id = $1 returning id`, [ids.operator_tenants]] },
  break_glass_grants: { group: 'support', platform: true, sql: (_ids, t) => [`select id from app.request_break_glass($1, 'Ticket 99: billing dispute', 15)`, [t]] },
  tenant_credentials: { group: 'admin', sql: (ids) => [`update tenant_credentials set label = 'primary' where id = $1 returning id`, [ids.tenant_credentials]] },
  tenant_domains: { group: 'support', sql: (_ids, t) => [`insert into tenant_domains (tenant_id, domain) values ($1, $2) returning id`, [t, `new-${randomUUID().slice(0, 8)}.example.org`]] },
  tenant_limits: { group: 'admin', sql: (ids) => [`update tenant_limits set requests_per_minute = 120 where id = $1 returning id`, [ids.tenant_limits]] },
  sessions: { group: 'support', sql: (ids) => [`update sessions set expires_at = now() where id = $1 returning id`, [ids.sessions]] },
  // Consent is append-only: a revocation is a new record naming the grant it ends.
  user_consent: {
    group: 'admin',
    sql: (ids, t) => [`insert into user_consent (tenant_id, user_id, consent_type, granted, revoked_at, revokes_id) values ($1, 'u-1', 'analytics', false, now(), $2) returning id`, [t, ids.user_consent]]
  },
  data_subject_requests: { group: 'support', sql: (ids, t) => [`select (app.create_subject_request($1, $2, 'access', 'gdpr')).id`, [t, ids.data_subjects]] },
  translations: { group: 'admin', platform: true, sql: () => [`insert into translations (namespace, key, locale, value) values ('ui', $1, 'es', 'Hola') returning id`, [randomUUID()]] },
  price_book: { group: 'admin', platform: true, sql: () => [`insert into price_book (plan_id, currency, amount) values ($1, 'EUR', 49) returning id`, [randomUUID()]] },
  price_book_unit_prices: {
    group: 'admin', platform: true,
    sql: () => [`insert into price_book_unit_prices (price_book_id, currency, usage_type, unit_price)
                 select id, currency, 'ai_calls', 0.0125 from price_book where plan_id = 'fixture_plan' returning id`, []]
  },
  templates: { group: 'moderator', platform: true, sql: (ids) => [`select id from app.claim_template($1, (select version from templates where id = $1))`, [ids.templates]] },
  reviews: { group: 'moderator', platform: true, sql: (ids) => [`select id from app.set_review_hidden($1, (select version from reviews where id = $1), true, 'off_topic', 'off-topic')`, [ids.reviews]] },
  // Written back unchanged: other test files read the SLA of the shared database meanwhile (the
  // marketplace queue expects the default 48 hours), and an update is audited all the same.
  moderation_settings: { group: 'admin', platform: true, sql: () => [`update moderation_settings set review_sla = review_sla returning id`, []] },
  // Credential versions change only through the rotation functions (migration 017).
  credential_versions: {
    group: 'admin',
    sql: (ids) => [`select (app.begin_credential_roll($1, null, 'avia_sk_abcd', 'sha256:' || repeat('a', 64), '0123456789abcdef', null, null, null, null)).id`, [ids.tenant_credentials]]
  },
  credential_policies: { group: 'admin', platform: true, sql: () => [`update credential_policies set max_age_days = 90 where kind = 'jwt_signing_key' returning id`, []] }
}

describe('audit trail', () => {
  it('covers exactly the tables operators can change', async () => {
    const { rows: audited } = await admin.query<{ table: string }>(
      `select tgrelid::regclass::text as table from pg_trigger where tgname = 'audit_row_change' order by 1`
    )
    expect(audited.map((r) => r.table).sort()).toEqual(Object.keys(WRITES).sort())
  })

  it.each(Object.keys(WRITES))('%s: a console write is audited with the operator as actor', async (table) => {
    const write = WRITES[table]!
    const { name, db } = await operatorDb(write.group, write.group === 'admin' ? [null] : [tenant])
    const [sql, params] = write.sql(rows, tenant)
    const run = (c: pg.PoolClient) => c.query<{ id: string }>(sql, params)
    const result = write.platform ? await db.withPlatform(run) : await db.withTenant(tenant, run)
    expect(result.rowCount).toBe(1)
    const audit = await admin.query<{ actor: string; resource_type: string }>(
      'select actor, resource_type from audit_logs where resource_id = $1 order by seq desc limit 1',
      [result.rows[0]!.id]
    )
    expect(audit.rows).toEqual([{ actor: name, resource_type: table }])
  })

  it('never writes a planted secret, at any depth, and fingerprints it instead', async () => {
    const planted = `PLANTED-${randomUUID()}`
    const rotated = `PLANTED-${randomUUID()}`
    const { db } = await operatorDb('admin', [tenant])
    const created = await db.withTenant(tenant, (c) =>
      c.query<{ id: string }>(
        `insert into tenant_credentials (tenant_id, client_id, client_secret_encrypted, hmac_secret_encrypted, jwt_private_key_encrypted)
         values ($1, $2, $3, $3, $3) returning id`,
        [tenant, `cli-${randomUUID()}`, planted]
      )
    )
    await db.withTenant(tenant, (c) => c.query('update tenant_credentials set client_secret_encrypted = $1 where id = $2', [rotated, created.rows[0]!.id]))
    await db.withTenant(tenant, (c) => c.query(`update tenants set settings = $1 where id = $2`, [JSON.stringify({ smtp: { password: planted, host: 'mail' } }), tenant]))
    const leaked = await admin.query(`select id from audit_logs where old_values::text like '%PLANTED%' or new_values::text like '%PLANTED%'`)
    expect(leaked.rowCount).toBe(0)
    const marker = await admin.query<{ old: unknown; new: unknown }>(
      `select old_values -> 'client_secret_encrypted' as old, new_values -> 'client_secret_encrypted' as new
         from audit_logs where resource_id = $1 and action = 'UPDATE'`,
      [created.rows[0]!.id]
    )
    const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12)
    expect(marker.rows).toEqual([{ old: { redacted: true, fingerprint: fingerprint(planted) }, new: { redacted: true, fingerprint: fingerprint(rotated) } }])
    const nested = await admin.query(`select new_values #> '{settings,smtp}' as smtp from audit_logs where resource_id = $1 order by seq desc limit 1`, [tenant])
    expect(nested.rows[0].smtp).toEqual({ host: 'mail', password: { redacted: true, fingerprint: fingerprint(planted) } })
  })

  it('refuses operators any direct write to audit_logs', async () => {
    const { db } = await operatorDb('admin', [null])
    await expect(db.withTenant(tenant, (c) => c.query(`update audit_logs set actor = 'nobody'`))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withTenant(tenant, (c) => c.query(`delete from audit_logs`))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      db.withTenant(tenant, (c) => c.query(`insert into audit_logs (tenant_id, action, resource_type) values ($1, 'INSERT', 'forged')`, [tenant]))
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('hash chain verification', () => {
  async function freshChain(length: number): Promise<{ tenantId: string; seqs: string[]; ids: string[] }> {
    const t = (await makeTenant('chain')).id
    for (let i = 0; i < length - 1; i++) await admin.query(`update tenants set name = $1 where id = $2`, [`Chain ${i}`, t])
    const { rows } = await admin.query<{ seq: string; id: string }>('select seq::text, id from audit_logs where tenant_id = $1 order by seq', [t])
    expect(rows).toHaveLength(length)
    return { tenantId: t, seqs: rows.map((r) => r.seq), ids: rows.map((r) => r.id) }
  }

  it('reports an intact chain', async () => {
    const { tenantId } = await freshChain(4)
    expect((await verify(tenantId)).status).toBe('intact')
    expect((await verify(tenant)).status).toBe('intact')
  })

  it('reports a changed row', async () => {
    const { tenantId, seqs, ids } = await freshChain(5)
    await admin.query(`update audit_logs set new_values = jsonb_set(new_values, '{name}', '"Forged"') where id = $1`, [ids[2]])
    expect(await verify(tenantId)).toMatchObject({ status: 'broken', broken_seq: seqs[2], broken_id: ids[2], reason: 'row content does not match its hash' })
  })

  it('reports a changed actor even when the hash is recomputed for that row alone', async () => {
    const { tenantId, seqs } = await freshChain(4)
    await admin.query(
      `update audit_logs set actor = 'innocent', hash = app.audit_row_hash(prev_hash, chain_position, tenant_id, 'innocent', action, resource_type, resource_id, old_values, new_values, created_at)
        where seq = $1`,
      [seqs[1]]
    )
    expect(await verify(tenantId)).toMatchObject({ status: 'broken', broken_seq: seqs[2], reason: 'previous hash does not match the previous row' })
  })

  it('reports a deleted row by its chain position', async () => {
    const { tenantId, seqs } = await freshChain(5)
    await admin.query('delete from audit_logs where seq = $1', [seqs[1]])
    expect(await verify(tenantId)).toMatchObject({ status: 'broken', broken_position: '2', broken_seq: seqs[2] })
  })

  it('reports deleted newest rows', async () => {
    const { tenantId } = await freshChain(3)
    await admin.query('delete from audit_logs where seq = (select max(seq) from audit_logs where tenant_id = $1)', [tenantId])
    expect(await verify(tenantId)).toMatchObject({ status: 'broken', broken_position: '3', reason: 'the newest rows of the chain are missing' })
  })

  it('chains bulk-loaded rows with audit_rechain', async () => {
    const t = (await makeTenant('bulk')).id
    await admin.query('begin')
    await admin.query(`set local session_replication_role = replica`)
    await admin.query(
      `insert into audit_logs (tenant_id, actor, action, resource_type, resource_id, new_values, created_at)
       select $1, 'seed_operator', 'UPDATE', 'tenants', $1, jsonb_build_object('n', g), now() - make_interval(days => 10 - g) from generate_series(1, 10) g`,
      [t]
    )
    await admin.query('commit')
    expect((await verify(t)).reason).toMatch(/never chained/)
    const { rows: chained } = await admin.query('select app.audit_rechain($1) as n', [t])
    expect(Number(chained[0].n)).toBe(11)
    expect((await verify(t)).status).toBe('intact')
    await admin.query(`update tenants set name = 'After bulk' where id = $1`, [t])
    expect((await verify(t)).status).toBe('intact')
  })

  it('lets only operators who see the tenant verify its chain, and only the owner rechain', async () => {
    const [visible, hidden] = await makeTenants(2, 'verify')
    const support = await makeOperator(['support'], [visible!.id])
    const db = support.database()
    open.push(db)
    const status = await db.withPlatform((c) => c.query<{ status: string }>('select status from app.verify_audit_chain($1)', [visible!.id]))
    expect(status.rows).toEqual([{ status: 'intact' }])
    await expect(db.withPlatform((c) => c.query('select * from app.verify_audit_chain($1)', [hidden!.id]))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withPlatform((c) => c.query('select app.audit_rechain($1)', [visible!.id]))).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('hardening from the outside review (issue 9)', () => {
  it('redacts domain verification tokens like every other secret', async () => {
    const { db } = await operatorDb('support', [tenant])
    const token = `PLANTED-${randomUUID()}`
    const created = await db.withTenant(tenant, (c) =>
      c.query<{ id: string }>(`insert into tenant_domains (tenant_id, domain, verification_token) values ($1, $2, $3) returning id`, [
        tenant,
        `tok-${randomUUID().slice(0, 8)}.example.net`,
        token
      ])
    )
    const { rows: audit } = await admin.query<{ token: unknown; raw: string }>(
      `select new_values -> 'verification_token' as token, new_values::text as raw from audit_logs where resource_id = $1`,
      [created.rows[0]!.id]
    )
    expect(audit).toHaveLength(1)
    expect(audit[0]!.raw).not.toContain(token)
    expect(audit[0]!.token).toEqual({ redacted: true, fingerprint: createHash('sha256').update(token).digest('hex').slice(0, 12) })
  })

  it("does not let an operator stall another tenant's audit writes by holding a lock", async () => {
    const [mine, theirs] = await makeTenants(2, 'stall')
    const staller = await makeOperator(['support'], [mine!.id])
    const client = await staller.client()
    const { db: victim } = await operatorDb('support', [theirs!.id])
    try {
      // The advisory key the chain used to lock on was public and guessable.
      await client.query('begin')
      await client.query(`select pg_advisory_xact_lock(hashtextextended('app.audit_chain:' || $1::text, 0))`, [theirs!.id])
      // The chain's head row is the lock now, and no operator may lock it.
      const probe = await staller.client()
      try {
        await expect(probe.query('select * from audit_chain_heads for update')).rejects.toMatchObject({ code: '42501' })
      } finally {
        await probe.end()
      }
      const started = Date.now()
      const renamed = await victim.withTenant(theirs!.id, async (c) => {
        await c.query(`set local statement_timeout = '5s'`)
        return c.query(`update tenants set name = 'Not stalled' where id = $1`, [theirs!.id])
      })
      expect(renamed.rowCount).toBe(1)
      expect(Date.now() - started).toBeLessThan(3000)
    } finally {
      await client.query('rollback').catch(() => undefined)
      await client.end()
    }
  })

  it('keeps one unbroken chain when many sessions write one tenant at once', async () => {
    const t = (await makeTenant('concurrent')).id
    const writers = await Promise.all(Array.from({ length: 6 }, () => operatorDb('support', [t])))
    await Promise.all(
      writers.map(({ db }, w) =>
        (async () => {
          for (let i = 0; i < 5; i++) await db.withTenant(t, (c) => c.query(`update tenants set name = $1 where id = $2`, [`Writer ${w} step ${i}`, t]))
        })()
      )
    )
    const { rows: chained } = await admin.query<{ n: number }>(`select count(*)::int as n from audit_logs where tenant_id = $1 and action = 'UPDATE'`, [t])
    expect(chained[0]!.n).toBe(6 * 5)
    expect(await verify(t)).toMatchObject({ status: 'intact' })
  })
})
