import { createHmac } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeOperator, makeTenant, type TestOperator } from '../helpers/db'
import { makePerson, type Person } from './people'

/** Issue 12, item 3: lookup by email, phone or external id across the operator's tenants, audited with a keyed hash. */

let admin: pg.Client
let tenantA: string
let tenantB: string
let hidden: string
let inA: Person
let inB: Person
let inHidden: Person
let support: TestOperator
let client: pg.Client

beforeAll(async () => {
  admin = await adminClient()
  ;[tenantA, tenantB, hidden] = [(await makeTenant('lka')).id, (await makeTenant('lkb')).id, (await makeTenant('lkh')).id]
  inA = await makePerson(admin, tenantA)
  inB = await makePerson(admin, tenantB)
  inHidden = await makePerson(admin, hidden)
  // The same person, known to tenant B and to a tenant the operator may not see, by the same email.
  await admin.query('update data_subjects set email = $1 where id = any ($2)', [inA.email, [inB.subjectId, inHidden.subjectId]])
  support = await makeOperator(['support'], [tenantA, tenantB])
  client = await support.client()
})

afterAll(async () => {
  await client?.end()
  await admin?.end()
})

/** HMAC-SHA256 with the key the migration generated: K is the inner block xor 0x36 (its first 32 bytes). */
async function expectedHmac(message: string): Promise<string> {
  const { rows } = await admin.query<{ inner_block: Buffer }>('select inner_block from identity_hash_key')
  const key = Buffer.from(rows[0]!.inner_block.subarray(0, 32).map((b) => b ^ 0x36))
  return createHmac('sha256', key).update(message, 'utf8').digest('hex')
}

const lookups = () => admin.query(`select * from audit_logs where action = 'LOOKUP' and actor = $1 order by seq`, [support.name]).then((r) => r.rows)

describe('identity lookup', () => {
  it('finds a person by email in every tenant the operator may see, and only those', async () => {
    const { rows } = await client.query('select * from app.lookup_subject($1, $2)', ['email', `  ${inA.email.toUpperCase()} `])
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([tenantA, tenantB].sort())
    expect(rows.find((r) => r.tenant_id === tenantA)).toMatchObject({ subject_id: inA.subjectId, external_id: inA.externalId, email: inA.email })
  })

  it('finds by phone (any usual punctuation) and by external id', async () => {
    const spaced = `${inB.phone.slice(0, 3)} ${inB.phone.slice(3, 6)}-${inB.phone.slice(6)}`
    expect((await client.query('select subject_id from app.lookup_subject($1, $2)', ['phone', spaced])).rows).toEqual([{ subject_id: inB.subjectId }])
    expect((await client.query('select subject_id from app.lookup_subject($1, $2)', ['external_id', inA.externalId])).rows).toEqual([{ subject_id: inA.subjectId }])
    expect((await client.query('select subject_id from app.lookup_subject($1, $2)', ['external_id', inHidden.externalId])).rows).toEqual([])
  })

  it('audits every lookup with who looked, and the identity as a keyed hash only', async () => {
    const before = (await lookups()).length
    await client.query('select * from app.lookup_subject($1, $2)', ['email', inA.email])
    const rows = (await lookups()).slice(before)
    // One row in each matched tenant's chain, none in the hidden tenant's.
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([tenantA, tenantB].sort())
    for (const row of rows) {
      expect(row.actor).toBe(support.name)
      expect(row.new_values).toEqual({ kind: 'email', identity_hmac: await expectedHmac(`email:${inA.email}`), matches: 1 })
    }
    // A lookup that finds nobody is audited too (platform chain).
    await client.query('select * from app.lookup_subject($1, $2)', ['email', 'nobody.here@example.org'])
    const miss = (await lookups()).at(-1)
    expect(miss).toMatchObject({ tenant_id: null, new_values: { matches: 0, identity_hmac: await expectedHmac('email:nobody.here@example.org') } })
    // The clear identities are nowhere in the audit trail.
    const clear = await admin.query(`select count(*) from audit_logs where action = 'LOOKUP' and (old_values::text || new_values::text) ilike any ($1)`, [
      [`%${inA.email}%`, '%nobody.here%']
    ])
    expect(clear.rows[0]!.count).toBe('0')
  })

  it('refuses malformed identities with 22023 and audits nothing', async () => {
    const before = (await lookups()).length
    for (const [kind, value] of [
      ['email', 'not-an-email'],
      ['email', 'a@b'],
      ['phone', '612 345 678'],
      ['phone', '+0123456789'],
      ['external_id', 'no colon here'],
      ['external_id', ''],
      ['name', 'Ana'],
      ['email', null]
    ]) {
      await expect(client.query('select * from app.lookup_subject($1, $2)', [kind, value]), `${kind} ${value}`).rejects.toMatchObject({ code: '22023' })
    }
    expect((await lookups()).length).toBe(before)
  })
})
