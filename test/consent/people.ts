import { randomBytes, randomUUID } from 'node:crypto'
import type pg from 'pg'

/** A tenant's customer with a consent history, a session, conversations, a usage row and audit rows. */
export interface Person {
  tenantId: string
  subjectId: string
  externalId: string
  email: string
  phone: string
  /** The active data_processing grant the session relies on. */
  grantId: string
  /** The ai_training grant, revoked. */
  revokedGrantId: string
  sessionId: string
  usageId: string
}

export function randomPhone(): string {
  return `+346${String(randomBytes(4).readUInt32BE(0) % 100_000_000).padStart(8, '0')}`
}

/**
 * Creates one person as the superuser (RLS bypassed, triggers on: the audit trigger records the
 * consent and session rows with the person's id, as it does in production).
 */
export async function makePerson(admin: pg.Client, tenantId: string, options: { messages?: number } = {}): Promise<Person> {
  const token = randomBytes(5).toString('hex')
  const externalId = `web:${token}`
  const email = `person.${token}@example.org`
  const phone = randomPhone()
  const one = async <T = string>(sql: string, params: unknown[]): Promise<T> => (await admin.query(sql, params)).rows[0]!.id as T
  const subjectId = await one(`insert into data_subjects (tenant_id, external_id, email, phone) values ($1, $2, $3, $4) returning id`, [tenantId, externalId, email, phone])
  const grantId = await one(
    `insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, policy_version, source_channel, source_form, evidence_hash)
     values ($1, $2, 'data_processing', true, now() - interval '10 days', '2025-01', 'web', 'signup_form', encode(sha256('evidence'::bytea), 'hex')) returning id`,
    [tenantId, externalId]
  )
  const revokedGrantId = await one(
    `insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, policy_version) values ($1, $2, 'ai_training', true, now() - interval '9 days', '2025-01') returning id`,
    [tenantId, externalId]
  )
  await admin.query(
    `insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, revoked_at, revokes_id) values ($1, $2, 'ai_training', false, now() - interval '9 days', now() - interval '2 days', $3)`,
    [tenantId, externalId, revokedGrantId]
  )
  const sessionId = await one(
    `insert into sessions (tenant_id, session_key, user_id, channel, context, consent_flag, consent_record_id)
     values ($1, $2, $3::text, 'web', jsonb_build_object('userId', $3::text, 'email', $4::text), true, $5) returning id`,
    [tenantId, `sess_${randomUUID()}`, externalId, email, grantId]
  )
  await admin.query(
    `insert into conversations (tenant_id, session_id, user_id, message, response, consent_flag)
     select $1, $2, $3::text, 'message ' || i || ' from ' || $4::text, 'answer ' || i, true from generate_series(1, $5::int) i`,
    [tenantId, sessionId, externalId, email, options.messages ?? 3]
  )
  // Billing keeps its rows: the erasure pseudonymizes the person's id in them.
  const usageId = await one(
    `insert into usage_records (tenant_id, usage_type, quantity, unit_price, currency, metadata, period_start, period_end)
     values ($1, 'ai_calls', 12, 0.01, 'EUR', jsonb_build_object('end_user', $2::text, 'source', 'agent'), now() - interval '1 day', now()) returning id`,
    [tenantId, externalId]
  )
  // A workflow run triggered by their chat: the payloads name them.
  const workflow = await one(`insert into workflows (tenant_id, name) values ($1, 'Lead intake') returning id`, [tenantId])
  const execution = await one(
    `insert into executions (tenant_id, workflow_id, status, input_data, started_at, finished_at)
     values ($1, $2, 'success', jsonb_build_object('from', $3::text, 'contact', jsonb_build_object('email', $4::text)), now() - interval '1 hour', now()) returning id`,
    [tenantId, workflow, externalId, email]
  )
  await admin.query(`insert into execution_steps (tenant_id, execution_id, step_index, step_name, status, output_data) values ($1, $2, 0, 'crm', 'success', jsonb_build_object('lead', $3::text))`, [tenantId, execution, email])
  // The session's expiry changed by support: an audit row that holds the person's id.
  await admin.query(`update sessions set expires_at = now() + interval '1 day' where id = $1`, [sessionId])
  return { tenantId, subjectId, externalId, email, phone, grantId, revokedGrantId, sessionId, usageId }
}

/** Rows of the whole database holding `needle` in a text, json(b), uuid, name or array column, found through the catalog. */
export async function scanDatabase(admin: pg.Client, needles: string[]): Promise<{ table: string; column: string; rows: number }[]> {
  const { rows: columns } = await admin.query<{ table: string; column: string }>(`
    select format('%I.%I', n.nspname, c.relname) as table, a.attname as column
      from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
      join pg_type t on t.oid = a.atttypid
     where n.nspname in ('public', 'app') and c.relkind in ('r', 'm') and a.attnum > 0 and not a.attisdropped
       and (t.typcategory in ('S', 'U', 'A') or t.typname in ('json', 'jsonb', 'uuid'))
     order by 1, 2`)
  const found: { table: string; column: string; rows: number }[] = []
  for (const { table, column } of columns) {
    const { rows } = await admin.query<{ n: string }>(
      `select count(*) as n from ${table} where ${admin.escapeIdentifier(column)}::text ilike any ($1::text[])`,
      [needles.map((n) => `%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)]
    )
    if (Number(rows[0]!.n) > 0) found.push({ table, column, rows: Number(rows[0]!.n) })
  }
  return found
}
