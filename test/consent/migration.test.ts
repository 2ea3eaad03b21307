import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findMigrationsDir, migrate } from '../../src/main/db/migrate'
import { connectionConfig, testDb, withAdmin } from '../helpers/db'
import { dropTestDatabase } from '../setup/global-db'

/**
 * Issue 12, item 1: consent rows written before migration 013 (revocations not tied to a grant,
 * an IP address in the details, session flags without a record) are carried into the new model.
 */

const run = testDb()
const scratch = { ...run, database: `${run.database}_consent_${randomBytes(3).toString('hex')}`, rolePrefix: `${run.rolePrefix}_cm` }
const CONSENT_MIGRATION = '013_consent_and_requests.sql'
let folder: string
let client: pg.Client
let tenant: string
let ids: Record<string, string>

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'avc-consent-'))
  const before = path.join(folder, 'before')
  // Every migration before 013 (later ones build on it).
  await cp(findMigrationsDir(), before, { recursive: true, filter: (source) => !/^\d{3}_/.test(path.basename(source)) || path.basename(source) < CONSENT_MIGRATION })
  await withAdmin((admin) => admin.query(`create database ${admin.escapeIdentifier(scratch.database)}`))
  const config = { ...connectionConfig(), database: scratch.database }
  await migrate(config, { rolePrefix: scratch.rolePrefix, migrationsDir: before })

  client = new pg.Client({ ...config, ssl: false })
  await client.connect()
  tenant = (await client.query(`insert into tenants (slug, name) values ('legacy', 'Legacy') returning id`)).rows[0].id
  const one = async (sql: string, params: unknown[] = []) => (await client.query(sql, [tenant, ...params])).rows[0]?.id as string
  ids = {
    grant1: await one(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, created_at, consent_details)
      values ($1, 'wa:+34600000001', 'marketing_email', true, now() - interval '10 days', now() - interval '10 days',
              '{"ip": "198.51.100.7", "policyVersion": "2024-03", "channel": "whatsapp", "source": "signup_form"}') returning id`),
    revocation1: await one(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, revoked_at, created_at)
      values ($1, 'wa:+34600000001', 'marketing_email', false, now() - interval '10 days', now() - interval '8 days', now() - interval '8 days') returning id`),
    grant2: await one(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, created_at)
      values ($1, 'wa:+34600000001', 'marketing_email', true, now() - interval '5 days', now() - interval '5 days') returning id`),
    revocation2: await one(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, revoked_at, created_at)
      values ($1, 'wa:+34600000001', 'marketing_email', false, now() - interval '5 days', now() - interval '2 days', now() - interval '2 days') returning id`),
    orphan: await one(`insert into user_consent (tenant_id, user_id, consent_type, granted, revoked_at, created_at)
      values ($1, 'web:orphan', 'analytics', false, now() - interval '1 day', now() - interval '1 day') returning id`),
    live: await one(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at) values ($1, 'web:live', 'data_processing', true, now()) returning id`),
    flagged: await one(`insert into sessions (tenant_id, session_key, user_id, consent_flag) values ($1, 'sess_live', 'web:live', true) returning id`),
    unbacked: await one(`insert into sessions (tenant_id, session_key, user_id, consent_flag) values ($1, 'sess_unbacked', 'web:nobody', true) returning id`)
  }
  await client.query(`insert into global_context (context_key, anonymized, consent_flag) values ('legacy.raw', false, false), ('legacy.ok', true, true)`)

  const after = path.join(folder, 'after')
  await cp(findMigrationsDir(), after, { recursive: true })
  const { applied } = await migrate(config, { rolePrefix: scratch.rolePrefix, migrationsDir: after })
  expect(applied[0]).toBe(CONSENT_MIGRATION)
})

afterAll(async () => {
  await client?.end()
  await dropTestDatabase(scratch)
  if (folder) await rm(folder, { recursive: true, force: true })
})

const row = async (id: string) => (await client.query('select * from user_consent where id = $1', [id])).rows[0]

describe('migration 013 on existing consent rows', () => {
  it('links each revocation to the grant it ended, through a re-grant', async () => {
    expect((await row(ids.revocation1!)).revokes_id).toBe(ids.grant1)
    expect((await row(ids.revocation2!)).revokes_id).toBe(ids.grant2)
  })

  it('gives an orphan revocation a reconstructed grant, marked as such', async () => {
    const revocation = await row(ids.orphan!)
    const grant = await row(revocation.revokes_id)
    expect(grant).toMatchObject({ granted: true, user_id: 'web:orphan', consent_type: 'analytics', source_form: 'migration:reconstructed_from_revocation', consent_details: { reconstructed: true } })
  })

  it('moves provenance into columns and keeps the IP address only as a SHA-256', async () => {
    const grant = await row(ids.grant1!)
    expect(grant).toMatchObject({ policy_version: '2024-03', source_channel: 'whatsapp', source_form: 'signup_form', legal_basis: 'consent' })
    expect(grant.consent_details).not.toHaveProperty('ip')
    const { rows } = await client.query(`select encode(sha256('198.51.100.7'::bytea), 'hex') as hash`)
    expect(grant.evidence_hash).toBe(rows[0].hash)
  })

  it('points a session flag at the grant behind it, and withdraws a flag with none', async () => {
    const sessions = await client.query('select id, consent_flag, consent_record_id from sessions order by session_key')
    expect(sessions.rows).toEqual([
      { id: ids.flagged, consent_flag: true, consent_record_id: ids.live },
      { id: ids.unbacked, consent_flag: false, consent_record_id: null }
    ])
  })

  it('registers every known person as a data subject (WhatsApp ids with their phone) and drops global rows without consent', async () => {
    const subjects = await client.query('select external_id, phone from data_subjects order by external_id')
    expect(subjects.rows).toEqual([
      { external_id: 'wa:+34600000001', phone: '+34600000001' },
      { external_id: 'web:live', phone: null },
      { external_id: 'web:nobody', phone: null },
      { external_id: 'web:orphan', phone: null }
    ])
    expect((await client.query('select context_key from global_context')).rows).toEqual([{ context_key: 'legacy.ok' }])
  })
})
