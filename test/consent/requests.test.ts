import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toRpcError } from '../../src/main/db/errors'
import { adminClient, makeOperator, makeTenant, type TestOperator } from '../helpers/db'
import { makePerson, scanDatabase, type Person } from './people'

/** Issue 12, item 4: the request state machine, deadlines, four-eyes erasure and what it leaves. */

let admin: pg.Client
let tenant: string
let support: TestOperator
let approver: TestOperator
let supportClient: pg.Client
let approverClient: pg.Client

interface Request {
  id: string
  status: string
  version: number
  due_at: Date
  received_at: Date
  requested_by: string
  denial_reason: string | null
}

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('dsr')).id
  support = await makeOperator(['support'], [tenant])
  approver = await makeOperator(['admin'], [tenant])
  supportClient = await support.client()
  approverClient = await approver.client()
})

afterAll(async () => {
  await supportClient?.end()
  await approverClient?.end()
  await admin?.end()
})

async function open(client: pg.Client, person: Person, type: string, regulation = 'gdpr'): Promise<Request> {
  const { rows } = await client.query<Request>('select * from app.create_subject_request($1, $2, $3, $4)', [person.tenantId, person.subjectId, type, regulation])
  return rows[0]!
}

async function advance(client: pg.Client, request: Request, to: string, reason: string | null = null): Promise<Request> {
  const { rows } = await client.query<Request>('select * from app.advance_subject_request($1, $2, $3, $4)', [request.id, request.version, to, reason])
  return rows[0]!
}

const days = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / 86_400_000)
const requestRow = (id: string) => admin.query('select * from data_subject_requests where id = $1', [id]).then((r) => r.rows[0])

describe('data-subject requests', () => {
  it('are due in 30 days under GDPR (extendable once, with a reason) and 45 under CCPA', async () => {
    const person = await makePerson(admin, tenant)
    const gdpr = await open(supportClient, person, 'access')
    expect(gdpr).toMatchObject({ status: 'received', version: 1, requested_by: support.name })
    expect(days(gdpr.received_at, gdpr.due_at)).toBe(30)
    const ccpa = await open(supportClient, person, 'rectification', 'ccpa')
    expect(days(ccpa.received_at, ccpa.due_at)).toBe(45)

    await expect(supportClient.query('select app.extend_subject_request($1, $2, $3)', [gdpr.id, 1, 'short'])).rejects.toMatchObject({ code: '22023' })
    const extended = (await supportClient.query<Request & { extended_by: string }>('select * from app.extend_subject_request($1, $2, $3)', [gdpr.id, 1, 'complex request: many systems involved'])).rows[0]!
    expect(days(extended.received_at, extended.due_at)).toBe(90)
    expect(extended.extended_by).toBe(support.name)
    await expect(supportClient.query('select app.extend_subject_request($1, $2, $3)', [gdpr.id, 2, 'and once more, please'])).rejects.toMatchObject({ code: 'AV422' })
    await expect(supportClient.query('select app.extend_subject_request($1, $2, $3)', [ccpa.id, 1, 'complex request: many systems'])).rejects.toMatchObject({ code: 'AV422' })
  })

  it('move received → identity_verified → in_progress → fulfilled, and refuse every other move', async () => {
    const person = await makePerson(admin, tenant)
    let request = await open(supportClient, person, 'access')
    const illegal = await advance(supportClient, request, 'in_progress').catch((e: unknown) => e)
    expect(illegal).toMatchObject({ code: 'AV422' })
    expect(toRpcError(illegal)).toMatchObject({ code: 'INVALID' })
    await expect(advance(supportClient, request, 'fulfilled')).rejects.toMatchObject({ code: 'AV422' })
    request = await advance(supportClient, request, 'identity_verified')
    expect(await requestRow(request.id)).toMatchObject({ identity_verified_by: support.name, version: 2 })
    request = await advance(supportClient, request, 'in_progress')
    request = await advance(supportClient, request, 'fulfilled')
    expect(request.status).toBe('fulfilled')
    await expect(advance(supportClient, request, 'denied', 'too late to deny this one')).rejects.toMatchObject({ code: 'AV422' })
    // Not through a plain UPDATE either, not even as the superuser (the trigger guards every writer).
    await expect(supportClient.query(`update data_subject_requests set status = 'received'`)).rejects.toMatchObject({ code: '42501' })
    await expect(admin.query(`update data_subject_requests set status = 'received' where id = $1`, [request.id])).rejects.toMatchObject({ code: 'AV422' })
  })

  it('need a reason to deny, and refuse a stale version naming who changed it', async () => {
    const person = await makePerson(admin, tenant)
    const request = await open(supportClient, person, 'restriction')
    await expect(advance(supportClient, request, 'denied')).rejects.toMatchObject({ code: '22023' })
    await expect(advance(supportClient, request, 'denied', ' \u200b  ')).rejects.toMatchObject({ code: '22023' })
    await supportClient.query('select app.assign_subject_request($1, $2, $3)', [request.id, 1, approver.name])
    const stale = await advance(supportClient, request, 'denied', 'identity could not be verified').catch((e: unknown) => e)
    expect(stale).toMatchObject({ code: 'AV409' })
    expect(JSON.parse((stale as { detail: string }).detail)).toMatchObject({ changedBy: support.name, version: 2 })
    expect(toRpcError(stale)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(support.name) })
    const denied = await advance(supportClient, { ...request, version: 2 }, 'denied', 'identity could not be verified')
    expect(denied).toMatchObject({ status: 'denied', denial_reason: 'identity could not be verified' })
  })

  it('refuse bad input with typed errors and write nothing', async () => {
    const person = await makePerson(admin, tenant)
    // Scoped to this operator: other test files write to the same database at the same time.
    const count = async () => Number((await admin.query('select count(*) from data_subject_requests where requested_by = $1', [support.name])).rows[0]!.count)
    const audit = async () => Number((await admin.query('select count(*) from audit_logs where actor = $1', [support.name])).rows[0]!.count)
    const before = [await count(), await audit()]
    const unknownTenant = '00000000-0000-4000-8000-000000000001'
    await expect(supportClient.query('select app.create_subject_request($1, $2, $3, $4)', [unknownTenant, person.subjectId, 'access', 'gdpr'])).rejects.toMatchObject({ code: 'P0002' })
    await expect(supportClient.query('select app.create_subject_request($1, $2, $3, $4)', [tenant, person.subjectId, 'delete_everything', 'gdpr'])).rejects.toMatchObject({ code: '22023' })
    await expect(supportClient.query('select app.create_subject_request($1, $2, $3, $4)', [tenant, person.subjectId, 'access', 'lgpd'])).rejects.toMatchObject({ code: '22023' })
    await expect(supportClient.query('select app.create_subject_request($1, $2, $3, $4)', [tenant, unknownTenant, 'access', 'gdpr'])).rejects.toMatchObject({ code: 'P0002' })
    await expect(supportClient.query('select app.advance_subject_request($1, 1, $2)', [unknownTenant, 'in_progress'])).rejects.toMatchObject({ code: 'P0002' })
    expect([await count(), await audit()]).toEqual(before)
  })

  it('are invisible to, and cannot be handled by, an operator of another tenant', async () => {
    const person = await makePerson(admin, tenant)
    const request = await open(supportClient, person, 'access')
    const stranger = await makeOperator(['support'], [(await makeTenant('other')).id])
    const client = await stranger.client()
    try {
      await expect(client.query('select app.advance_subject_request($1, 1, $2)', [request.id, 'identity_verified'])).rejects.toMatchObject({ code: 'P0002' })
      await expect(client.query('select app.create_subject_request($1, $2, $3, $4)', [tenant, person.subjectId, 'access', 'gdpr'])).rejects.toMatchObject({ code: 'P0002' })
    } finally {
      await client.end()
    }
    expect((await requestRow(request.id)).version).toBe(1)
  })
})

describe('an erasure', () => {
  async function erasureInProgress(person: Person, requester = supportClient): Promise<Request> {
    let request = await open(requester, person, 'erasure')
    request = await advance(requester, request, 'identity_verified')
    return advance(requester, request, 'in_progress')
  }

  it('cannot be approved by its requester, even an admin, nor by support, nor when denied; nothing is written', async () => {
    const person = await makePerson(admin, tenant)
    const own = await erasureInProgress(person, approverClient)
    await expect(approverClient.query('select app.approve_erasure($1, $2)', [own.id, own.version])).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('cannot approve')
    })
    // The table refuses it too, whoever writes: the approver is always the session user, and an
    // approval that does not fulfil the request is no approval.
    await expect(admin.query(`update data_subject_requests set erasure_approved_by = 'someone' where id = $1`, [own.id])).rejects.toMatchObject({ code: 'AV422' })
    const selfMade = (await admin.query<{ id: string }>(
      `insert into data_subject_requests (tenant_id, subject_id, request_type, regulation, due_at) values ($1, $2, 'erasure', 'gdpr', now()) returning id`, [tenant, person.subjectId])).rows[0]!.id
    await admin.query(`update data_subject_requests set status = 'identity_verified' where id = $1`, [selfMade])
    await admin.query(`update data_subject_requests set status = 'in_progress' where id = $1`, [selfMade])
    await expect(admin.query(`update data_subject_requests set status = 'fulfilled', erasure_approved_by = 'someone' where id = $1`, [selfMade])).rejects.toMatchObject({ code: '23514' })
    await admin.query(`update data_subject_requests set status = 'denied', denial_reason = 'test request, not needed' where id = $1`, [selfMade])
    await advance(approverClient, own, 'denied', 'requested by mistake, duplicate')

    const request = await erasureInProgress(person)
    await expect(supportClient.query('select app.approve_erasure($1, $2)', [request.id, request.version])).rejects.toMatchObject({ code: '42501' })
    const denied = await advance(supportClient, request, 'denied', 'the person withdrew the request')
    await expect(approverClient.query('select app.approve_erasure($1, $2)', [denied.id, denied.version])).rejects.toMatchObject({ code: 'AV422' })
    expect(await requestRow(denied.id)).toMatchObject({ status: 'denied', erasure_approved_by: null })
    expect(Number((await admin.query('select count(*) from conversations where user_id = $1', [person.externalId])).rows[0]!.count)).toBe(3)
    expect((await admin.query('select 1 from erasure_receipts where request_id = any ($1)', [[own.id, denied.id]])).rowCount).toBe(0)
  })

  it("removes the person from every table (a catalog-driven scan), keeps billing pseudonymized, leaves a receipt and tombstones", async () => {
    const person = await makePerson(admin, tenant)
    const bystander = await makePerson(admin, tenant)
    const conversationIds = (await admin.query<{ id: string }>('select id from conversations where user_id = $1', [person.externalId])).rows.map((r) => r.id)
    // Before: the scan finds the person in the tables that hold them (a scan that cannot find anything proves nothing).
    const before = await scanDatabase(admin, [person.externalId, person.email, person.subjectId])
    expect(before.map((f) => f.table)).toEqual(expect.arrayContaining(['public.conversations', 'public.sessions', 'public.user_consent', 'public.data_subjects', 'public.usage_records', 'public.audit_logs', 'public.executions', 'public.execution_steps']))

    const request = await erasureInProgress(person)
    const receipt = (await approverClient.query('select * from app.approve_erasure($1, $2)', [request.id, request.version])).rows[0]!
    expect(receipt).toMatchObject({ requested_by: support.name, approved_by: approver.name })
    expect(receipt.removed).toMatchObject({ conversations: 3, sessions: 1, consent_records: 3, data_subjects: 1 })
    expect(receipt.pseudonymized).toMatchObject({ usage_records: 1, executions: 2 })
    expect(await requestRow(request.id)).toMatchObject({ status: 'fulfilled', subject_id: null, erasure_approved_by: approver.name })

    expect(await scanDatabase(admin, [person.externalId, person.email, person.subjectId])).toEqual([])
    const usage = (await admin.query('select metadata from usage_records where id = $1', [person.usageId])).rows[0]
    expect(usage.metadata.end_user).toMatch(/^erased:[0-9a-f]{16}$/)
    const tombstones = await admin.query<{ row_id: string }>(`select row_id from sync_tombstones where table_name = 'conversations' and row_id = any ($1)`, [conversationIds])
    expect(tombstones.rowCount).toBe(3)
    expect((await admin.query(`select 1 from sync_tombstones where table_name = 'sessions' and row_id = $1`, [person.sessionId])).rowCount).toBe(1)
    // The receipt holds no personal data, and the tenant's audit chain is intact again.
    expect(JSON.stringify(receipt)).not.toMatch(new RegExp(`${person.externalId}|${person.email}|${person.subjectId}`))
    expect((await admin.query('select * from app.verify_audit_chain($1)', [tenant])).rows[0]).toMatchObject({ status: 'intact' })
    // The bystander is untouched.
    expect(Number((await admin.query('select count(*) from conversations where user_id = $1', [bystander.externalId])).rows[0]!.count)).toBe(3)
  })
})
