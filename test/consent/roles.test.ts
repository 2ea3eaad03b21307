import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperatorGroup } from '../../src/main/db/operators'
import { adminClient, makeOperator, makeTenant } from '../helpers/db'
import { makePerson, type Person } from './people'

/** Issue 12, item 6: finance and moderators cannot read consent or requests; support for its tenants; admin. */

let admin: pg.Client
let tenant: string
let person: Person

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('roles')).id
  person = await makePerson(admin, tenant)
  await admin.query(`insert into data_subject_requests (tenant_id, subject_id, request_type, regulation, due_at) values ($1, $2, 'access', 'gdpr', now())`, [tenant, person.subjectId])
})

afterAll(async () => {
  await admin?.end()
})

const TABLES = ['user_consent', 'consent_current', 'data_subjects', 'data_subject_requests', 'erasure_receipts', 'derivation_sources']

describe('consent and requests by group', () => {
  it.each<OperatorGroup>(['finance', 'moderator'])('%s is refused (42501) on every table and function, even assigned to the tenant', async (group) => {
    const operator = await makeOperator([group], [tenant])
    const db = operator.database()
    const client = await operator.client()
    try {
      for (const table of TABLES) {
        await expect(db.withTenant(tenant, (c) => c.query(`select * from ${table}`)), table).rejects.toMatchObject({ code: 'FORBIDDEN' })
      }
      for (const [sql, params] of [
        ['select * from app.lookup_subject($1, $2)', ['email', person.email]],
        ['select app.create_subject_request($1, $2, $3, $4)', [tenant, person.subjectId, 'access', 'gdpr']],
        ['select * from app.consent_impact()', []],
        ['select app.approve_erasure($1, 1)', [tenant]],
        ['select * from app.record_access_export($1)', [tenant]],
        ['select app.resolve_consent_impact($1, $2, $3, $4)', ['purge', 'learnings', tenant, 'not theirs to purge']]
      ] as const) {
        await expect(client.query(sql, [...params]), sql).rejects.toMatchObject({ code: '42501' })
      }
    } finally {
      await db.close()
      await client.end()
    }
  })

  it.each<OperatorGroup>(['support', 'admin'])('%s reads them in its tenant only', async (group) => {
    const db = (await makeOperator([group], [tenant])).database()
    const other = (await makeTenant('roles-other')).id
    try {
      for (const table of TABLES) {
        await expect(db.withTenant(tenant, (c) => c.query(`select * from ${table}`)), table).resolves.toBeDefined()
      }
      const own = await db.withTenant(tenant, (c) => c.query('select count(*) from data_subject_requests'))
      expect(Number(own.rows[0].count)).toBe(1)
      const foreign = await db.withTenant(other, (c) => c.query('select count(*) from user_consent'))
      expect(foreign.rows[0].count).toBe('0')
    } finally {
      await db.close()
    }
  })
})
