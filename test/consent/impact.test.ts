import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeOperator, makeTenant, type TestOperator } from '../helpers/db'
import { makePerson, type Person } from './people'

/** Issue 12, item 5: global knowledge from people who revoked consent or were erased; quarantine and purge; the global rule. */

let admin: pg.Client
let tenant: string
let revoked: Person
let consenting: Person
let learningFromRevoked: string
let learningFromConsenting: string
let embeddingFromRevoked: string
let adminOp: TestOperator

async function globalLearning(source: Person): Promise<string> {
  const id = (await admin.query<{ id: string }>(
    `insert into learnings (tenant_id, learning_type, pattern, anonymized, context_scope, consent_flag) values ($1, 'pattern', 'asks for refunds on Mondays', true, 'global', true) returning id`,
    [tenant]
  )).rows[0]!.id
  await admin.query(`insert into derivation_sources (tenant_id, derived_table, derived_id, subject_id) values ($1, 'learnings', $2, $3)`, [tenant, id, source.subjectId])
  return id
}

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('impact')).id
  // makePerson's ai_training grant is revoked; the other person grants it again.
  revoked = await makePerson(admin, tenant)
  consenting = await makePerson(admin, tenant)
  await admin.query(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at) values ($1, $2, 'ai_training', true, now())`, [tenant, consenting.externalId])
  learningFromRevoked = await globalLearning(revoked)
  learningFromConsenting = await globalLearning(consenting)
  embeddingFromRevoked = (await admin.query<{ id: string }>(
    `insert into embeddings (tenant_id, source_text, vector, content_type, anonymized, context_scope, consent_flag) values ($1, 'refund question', '{0.1,0.2}', 'conversation', true, 'global', true) returning id`,
    [tenant]
  )).rows[0]!.id
  await admin.query(`insert into derivation_sources (tenant_id, derived_table, derived_id, subject_id) values ($1, 'embeddings', $2, $3)`, [tenant, embeddingFromRevoked, revoked.subjectId])
  adminOp = await makeOperator(['admin'], [tenant])
})

afterAll(async () => {
  await admin?.end()
})

describe('consent impact', () => {
  it('lists the global rows from a person who revoked consent, not from one who consents, per tenant and in total', async () => {
    const support = await (await makeOperator(['support'], [tenant])).client()
    try {
      const { rows } = await support.query('select derived_table, derived_id, reason, quarantined from app.consent_impact() where tenant_id = $1 order by derived_table', [tenant])
      expect(rows).toEqual([
        { derived_table: 'embeddings', derived_id: embeddingFromRevoked, reason: 'revoked', quarantined: false },
        { derived_table: 'learnings', derived_id: learningFromRevoked, reason: 'revoked', quarantined: false }
      ])
      const totals = (await support.query('select * from app.consent_impact_totals()')).rows
      expect(totals).toEqual([
        { tenant_id: tenant, revoked: '2', erased: '0', quarantined: '0', total: '2' },
        { tenant_id: null, revoked: '2', erased: '0', quarantined: '0', total: '2' }
      ])
      // Support may look, not act.
      await expect(support.query(`select app.resolve_consent_impact('purge', 'learnings', $1, 'consent withdrawn by the person')`, [learningFromRevoked])).rejects.toMatchObject({ code: '42501' })
    } finally {
      await support.end()
    }
  })

  it('lets an admin quarantine and purge with a reason, audited; refuses rows that are not impacted', async () => {
    const client = await adminOp.client()
    try {
      await expect(client.query(`select app.resolve_consent_impact('quarantine', 'learnings', $1, 'short')`, [learningFromRevoked])).rejects.toMatchObject({ code: '22023' })
      await expect(client.query(`select app.resolve_consent_impact('purge', 'learnings', $1, 'consent withdrawn by the person')`, [learningFromConsenting])).rejects.toMatchObject({ code: 'P0002' })
      await client.query(`select app.resolve_consent_impact('quarantine', 'learnings', $1, 'consent withdrawn by the person')`, [learningFromRevoked])
      expect((await admin.query('select quarantined_by, quarantine_reason from learnings where id = $1', [learningFromRevoked])).rows[0]).toEqual({
        quarantined_by: adminOp.name,
        quarantine_reason: 'consent withdrawn by the person'
      })
      await client.query(`select app.resolve_consent_impact('purge', 'embeddings', $1, 'consent withdrawn by the person')`, [embeddingFromRevoked])
      expect((await admin.query('select 1 from embeddings where id = $1', [embeddingFromRevoked])).rowCount).toBe(0)
      const audit = await admin.query(`select action, resource_type, actor, new_values from audit_logs where tenant_id = $1 and action in ('QUARANTINE', 'PURGE') order by seq`, [tenant])
      expect(audit.rows).toEqual([
        { action: 'QUARANTINE', resource_type: 'learnings', actor: adminOp.name, new_values: { reason: 'consent withdrawn by the person', rows: 1 } },
        { action: 'PURGE', resource_type: 'embeddings', actor: adminOp.name, new_values: { reason: 'consent withdrawn by the person', rows: 1 } }
      ])
      expect((await client.query('select quarantined from app.consent_impact() where derived_id = $1', [learningFromRevoked])).rows).toEqual([{ quarantined: true }])
    } finally {
      await client.end()
    }
  })
})

describe('consent impact of an erasure', () => {
  it('lists what came from an erased person as erased, without naming them', async () => {
    const supportOp = await makeOperator(['support'], [tenant])
    const support = await supportOp.client()
    const approver = await adminOp.client()
    try {
      let request = (await support.query('select * from app.create_subject_request($1, $2, $3, $4)', [tenant, consenting.subjectId, 'erasure', 'gdpr'])).rows[0]
      request = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [request.id, request.version, 'identity_verified'])).rows[0]
      request = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [request.id, request.version, 'in_progress'])).rows[0]
      const receipt = (await approver.query('select * from app.approve_erasure($1, $2)', [request.id, request.version])).rows[0]
      expect(receipt.pseudonymized).toMatchObject({ derivation_sources: 1 })
      const { rows } = await support.query('select reason from app.consent_impact() where derived_id = $1', [learningFromConsenting])
      expect(rows).toEqual([{ reason: 'erased' }])
      expect((await admin.query('select subject_id, subject_erased from derivation_sources where derived_id = $1', [learningFromConsenting])).rows).toEqual([{ subject_id: null, subject_erased: true }])
    } finally {
      await support.end()
      await approver.end()
    }
  })
})

describe('anything global needs consent and anonymization', () => {
  it('holds on every table with a context scope: none accepts a global row without consent and anonymization', async () => {
    const { rows } = await admin.query<{ table: string }>(`
      select c.relname as table from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
         and a.attname = 'context_scope' and not a.attisdropped order by 1`)
    expect(rows.map((r) => r.table)).toEqual(['conversations', 'embeddings', 'global_context', 'learnings', 'local_context', 'sessions'])
    const attempts: Record<string, string> = {
      conversations: `insert into conversations (tenant_id, message, context_scope, consent_flag) values ($1, 'hi', 'global', true)`,
      embeddings: `insert into embeddings (tenant_id, source_text, vector, content_type, context_scope, consent_flag, anonymized) values ($1, 'x', '{1}', 'faq', 'global', true, false)`,
      global_context: `insert into global_context (context_key, source_tenant_id, anonymized, consent_flag) values ('k-' || gen_random_uuid(), $1, true, false)`,
      learnings: `insert into learnings (tenant_id, learning_type, pattern, context_scope, consent_flag, anonymized) values ($1, 'insight', 'x', 'global', false, true)`,
      local_context: `insert into local_context (tenant_id, context_key, context_scope, consent_flag) values ($1, 'k-' || gen_random_uuid(), 'global', true)`,
      sessions: `insert into sessions (tenant_id, session_key, context_scope) values ($1, 'sess_' || gen_random_uuid(), 'global')`
    }
    for (const { table } of rows) {
      await expect(admin.query(attempts[table]!, [tenant]), table).rejects.toMatchObject({ code: '23514' })
    }
  })
})
