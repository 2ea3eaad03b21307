import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperatorGroup } from '../../src/main/db/operators'
import { adminClient, makeOperator, makeTenant, roleName } from '../helpers/db'
import { makePerson, type Person } from './people'

/** Issue 12, item 1: consent records are append-only, and a revocation names the grant it ends. */

let admin: pg.Client
let tenant: string
let person: Person

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('consent')).id
  person = await makePerson(admin, tenant)
})

afterAll(async () => {
  await admin?.end()
})

const snapshot = () => admin.query('select * from user_consent where tenant_id = $1 order by id', [tenant]).then((r) => r.rows)

describe('consent records', () => {
  it.each<OperatorGroup>(['support', 'moderator', 'finance', 'admin'])('cannot be updated or deleted by %s', async (group) => {
    const db = (await makeOperator([group], [tenant])).database()
    const before = await snapshot()
    try {
      for (const sql of [`update user_consent set granted = false`, `update user_consent set consent_details = '{}'`, `delete from user_consent`, `truncate user_consent`]) {
        await expect(db.withTenant(tenant, (c) => c.query(sql)), sql).rejects.toMatchObject({ code: 'FORBIDDEN' })
      }
    } finally {
      await db.close()
    }
    expect(await snapshot()).toEqual(before)
  })

  it('cannot be updated, deleted or truncated by the owner either (the trigger binds the table owner)', async () => {
    const before = await snapshot()
    for (const sql of [`update user_consent set granted = false where id = $1`, `delete from user_consent where id = $1`]) {
      await admin.query('begin')
      await admin.query(`set local role ${roleName('owner')}`)
      await expect(admin.query(sql, [person.grantId]), sql).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('append-only') })
      await admin.query('rollback')
    }
    await admin.query('begin')
    await admin.query(`set local role ${roleName('owner')}`)
    await expect(admin.query('truncate user_consent cascade')).rejects.toMatchObject({ code: '42501' })
    await admin.query('rollback')
    // The superuser too: only the erasure function may remove a person's records.
    await expect(admin.query('delete from user_consent where id = $1', [person.grantId])).rejects.toMatchObject({ code: '42501' })
    expect(await snapshot()).toEqual(before)
  })

  it('refuse a revocation that names no grant, another person or type, a revocation, or an ended grant', async () => {
    const before = await snapshot()
    const revoke = (userId: string, type: string, revokes: string | null) =>
      admin.query(`insert into user_consent (tenant_id, user_id, consent_type, granted, revoked_at, revokes_id) values ($1, $2, $3, false, now(), $4)`, [tenant, userId, type, revokes])
    await expect(revoke(person.externalId, 'data_processing', null)).rejects.toMatchObject({ code: '23514', constraint: 'user_consent_revocation_links_grant' })
    await expect(revoke('web:someone-else', 'data_processing', person.grantId)).rejects.toMatchObject({ code: '23503' })
    await expect(revoke(person.externalId, 'marketing_email', person.grantId)).rejects.toMatchObject({ code: '23503' })
    const revocation = (await admin.query(`select id from user_consent where revokes_id = $1`, [person.revokedGrantId])).rows[0]!.id as string
    await expect(revoke(person.externalId, 'ai_training', revocation)).rejects.toMatchObject({ code: '23503' })
    await expect(revoke(person.externalId, 'ai_training', person.revokedGrantId)).rejects.toMatchObject({ code: '23505', constraint: 'user_consent_revokes_key' })
    // A grant cannot pretend to end something.
    await expect(
      admin.query(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, revokes_id) values ($1, $2, 'ai_training', true, now(), $3)`, [tenant, person.externalId, person.revokedGrantId])
    ).rejects.toMatchObject({ code: '23514' })
    expect(await snapshot()).toEqual(before)
  })

  it('refuse a raw IP address as evidence and keep the evidence as a SHA-256', async () => {
    await expect(
      admin.query(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, consent_details) values ($1, $2, 'analytics', true, now(), '{"ip": "203.0.113.9"}')`, [tenant, person.externalId])
    ).rejects.toMatchObject({ code: '23514', constraint: 'user_consent_no_raw_ip' })
    await expect(
      admin.query(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, evidence_hash) values ($1, $2, 'analytics', true, now(), '203.0.113.9')`, [tenant, person.externalId])
    ).rejects.toMatchObject({ code: '23514' })
  })

  it('derive the current state: a revoked grant, then a re-grant, as an admin records them', async () => {
    const db = (await makeOperator(['admin'], [tenant])).database()
    try {
      const state = () => db.withTenant(tenant, (c) => c.query(`select granted, record_id from consent_current where user_id = $1 and consent_type = 'ai_training'`, [person.externalId]).then((r) => r.rows))
      // Revoked: the record is the revocation, which names the grant it ended.
      const revocation = (await admin.query(`select id from user_consent where revokes_id = $1`, [person.revokedGrantId])).rows[0]!.id as string
      expect(await state()).toEqual([{ granted: false, record_id: revocation }])
      const regrant = await db.withTenant(tenant, (c) =>
        c.query<{ id: string }>(`insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, legal_basis, source_channel) values ($1, $2, 'ai_training', true, now(), 'consent', 'web') returning id`, [tenant, person.externalId])
      )
      expect(await state()).toEqual([{ granted: true, record_id: regrant.rows[0]!.id }])
      await db.withTenant(tenant, (c) =>
        c.query(`insert into user_consent (tenant_id, user_id, consent_type, granted, revoked_at, revokes_id) values ($1, $2, 'ai_training', false, now(), $3)`, [tenant, person.externalId, regrant.rows[0]!.id])
      )
      expect((await state())[0]!.granted).toBe(false)
    } finally {
      await db.close()
    }
  })
})

describe("a session's consent flag", () => {
  it('names a grant of the same person; a flag without one, or pointing elsewhere, is refused', async () => {
    const other = await makePerson(admin, tenant)
    const insert = (flag: boolean, record: string | null) =>
      admin.query(`insert into sessions (tenant_id, session_key, user_id, consent_flag, consent_record_id) values ($1, 'sess_' || gen_random_uuid(), $2, $3, $4)`, [tenant, person.externalId, flag, record])
    await expect(insert(true, null)).rejects.toMatchObject({ code: '23514', constraint: 'sessions_consent_flag_has_record' })
    await expect(insert(true, other.grantId)).rejects.toMatchObject({ code: '23503' })
    const revocation = (await admin.query(`select id from user_consent where revokes_id = $1`, [person.revokedGrantId])).rows[0]!.id as string
    await expect(insert(true, revocation)).rejects.toMatchObject({ code: '23503' })
    await expect(insert(true, person.grantId)).resolves.toMatchObject({ rowCount: 1 })
    await expect(insert(false, null)).resolves.toMatchObject({ rowCount: 1 })
  })
})
