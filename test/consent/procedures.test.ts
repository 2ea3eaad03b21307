import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeTenant } from '../helpers/db'
import { parseCsv } from '../helpers/csv'
import { unzip } from '../helpers/zip'
import { operatorSession, type OperatorSession } from '../tenants/harness'
import { makePerson, type Person } from './people'

/**
 * Issue 12 through the procedure table, as both shells call it: the dispatcher checks every input,
 * the handlers run as real operator roles against the run's PostgreSQL.
 */

let admin: pg.Client
let tenant: string
let support: OperatorSession
let approver: OperatorSession
let finance: OperatorSession
let person: Person
let otherTenant: string

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('consentrpc')).id
  otherTenant = (await makeTenant('consentrpc-other')).id
  support = await operatorSession(['support'], [tenant])
  approver = await operatorSession(['admin'], [tenant, otherTenant])
  finance = await operatorSession(['finance'], [tenant])
  person = await makePerson(admin, tenant, { messages: 25 })
})

afterAll(async () => {
  for (const s of [support, approver, finance]) {
    expect(s?.internalErrors ?? []).toEqual([])
    await s?.close()
  }
  await admin?.end()
})

const auditCount = async (action: string) =>
  Number((await admin.query<{ n: string }>('select count(*) as n from audit_logs where tenant_id = $1 and action = $2', [tenant, action])).rows[0]!.n)
const requestCount = async () => Number((await admin.query<{ n: string }>('select count(*) as n from data_subject_requests where tenant_id = $1', [tenant])).rows[0]!.n)

describe('consent procedures', () => {
  it('look a person up by email (audited), show their history and current consents, and export them as CSV', async () => {
    const lookupsBefore = await auditCount('LOOKUP')
    const { matches } = await support.value('consent.lookup', { kind: 'email', identity: person.email.toUpperCase() })
    expect(matches).toEqual([expect.objectContaining({ subjectId: person.subjectId, tenantId: tenant, externalId: person.externalId, email: person.email })])
    expect(await auditCount('LOOKUP')).toBe(lookupsBefore + 1)

    const { records } = await support.value('consent.history', { tenantId: tenant, userId: person.externalId })
    expect(records.map((r: { consentType: string; granted: boolean }) => `${r.consentType}:${r.granted}`)).toEqual(['data_processing:true', 'ai_training:true', 'ai_training:false'])
    expect(records[2].revokesId).toBe(person.revokedGrantId)

    const revoked = await support.value('consent.list', { tenantId: tenant, filter: { consentType: 'ai_training', state: 'revoked', from: null, to: null, userId: person.externalId } })
    expect(revoked.rows).toEqual([expect.objectContaining({ userId: person.externalId, consentType: 'ai_training', granted: false })])
    expect(revoked.total).toBe(1)

    const started = await support.value('consent.export', { tenantId: tenant, filter: { consentType: null, state: null, from: null, to: null, userId: person.externalId }, jobId: 'consent-csv-1' })
    await support.exports.settled(started.exportId)
    const csv = parseCsv((await readFile(support.exports.ready(started.exportId).file, 'utf8')).replace(/^\uFEFF/, ''))
    expect(csv.slice(1).map((r) => `${r[0]}|${r[1]}|${r[2]}`).sort()).toEqual([`${person.externalId}|ai_training|revoked`, `${person.externalId}|data_processing|granted`])
  })

  it('export one person as a ZIP whose manifest hashes match its files, audited with the operator, only once the identity is verified', async () => {
    const exportsBefore = await auditCount('EXPORT')
    const request = await support.value('consent.createRequest', { tenantId: tenant, subjectId: person.subjectId, requestType: 'access', regulation: 'gdpr' })
    expect(request).toMatchObject({ status: 'received', daysLeft: 30, overdue: false, requestedBy: support.name })

    const early = await support.call('consent.accessExport', { tenantId: tenant, requestId: request.id, jobId: 'access-zip-0' })
    expect(early).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    expect(await auditCount('EXPORT')).toBe(exportsBefore)

    await support.value('consent.advanceRequest', { requestId: request.id, version: request.version, to: 'identity_verified', reason: null })
    // Named with another tenant (one the operator may see too), the request is not found and nothing is recorded.
    expect(await approver.call('consent.accessExport', { tenantId: otherTenant, requestId: request.id, jobId: 'access-zip-x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await auditCount('EXPORT')).toBe(exportsBefore)
    const started = await support.value('consent.accessExport', { tenantId: tenant, requestId: request.id, jobId: 'access-zip-1' })
    await support.exports.settled(started.exportId)
    const ready = support.exports.ready(started.exportId)
    expect(ready.fileName).toMatch(/^access-export-.*\.zip$/)
    const files = await unzip(ready.file)
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { generatedAt: string; files: { name: string; sha256: string; bytes: number }[] }
    expect(Date.parse(manifest.generatedAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(manifest.files.map((f) => f.name).sort()).toEqual(
      ['consent_records.json', 'consents.csv', 'conversations.json', 'embeddings.json', 'learnings.json', 'local_context.json', 'profile.json', 'sessions.json'].sort()
    )
    for (const entry of manifest.files) {
      const body = files.get(entry.name)!
      expect(createHash('sha256').update(body).digest('hex'), entry.name).toBe(entry.sha256)
      expect(body.length).toBe(entry.bytes)
    }
    const conversations = JSON.parse(files.get('conversations.json')!.toString('utf8')) as { user_id: string }[]
    expect(conversations).toHaveLength(25)
    expect(new Set(conversations.map((c) => c.user_id))).toEqual(new Set([person.externalId]))
    expect(JSON.parse(files.get('profile.json')!.toString('utf8'))).toEqual([expect.objectContaining({ id: person.subjectId, email: person.email })])
    expect(JSON.parse(files.get('consent_records.json')!.toString('utf8'))).toHaveLength(3)

    const audit = await admin.query<{ actor: string; resource_id: string; new_values: Record<string, unknown> }>(
      `select actor, resource_id, new_values from audit_logs where tenant_id = $1 and action = 'EXPORT' order by seq desc limit 1`,
      [tenant]
    )
    expect(audit.rows[0]).toMatchObject({ actor: support.name, resource_id: request.id })
    expect(JSON.stringify(audit.rows[0]!.new_values)).not.toContain(person.email)
    expect(await auditCount('EXPORT')).toBe(exportsBefore + 1)
  })

  it('erase with four eyes: support requests, support cannot approve, an admin does; the erased person is gone', async () => {
    const target = await makePerson(admin, tenant)
    let request = await support.value('consent.createRequest', { tenantId: tenant, subjectId: target.subjectId, requestType: 'erasure', regulation: 'ccpa' })
    expect(request.daysLeft).toBe(45)
    request = await support.value('consent.advanceRequest', { requestId: request.id, version: request.version, to: 'identity_verified', reason: null })
    request = await support.value('consent.advanceRequest', { requestId: request.id, version: request.version, to: 'in_progress', reason: null })

    expect(await support.call('consent.approveErasure', { requestId: request.id, version: request.version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // A stale version names the conflict, and nothing is erased.
    expect(await approver.call('consent.approveErasure', { requestId: request.id, version: request.version - 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(Number((await admin.query('select count(*) as n from conversations where user_id = $1', [target.externalId])).rows[0].n)).toBe(3)

    const receipt = await approver.value('consent.approveErasure', { requestId: request.id, version: request.version })
    expect(receipt).toMatchObject({ requestId: request.id, requestedBy: support.name, approvedBy: approver.name, removed: { conversations: 3, sessions: 1 } })
    expect(Number((await admin.query('select count(*) as n from conversations where user_id = $1', [target.externalId])).rows[0].n)).toBe(0)
    const { requests } = await support.value('consent.requests', { tenantId: tenant, status: 'fulfilled' })
    expect(requests.find((r: { id: string }) => r.id === request.id)).toMatchObject({ erasureApprovedBy: approver.name, subjectId: null, daysLeft: null })
  })

  it('refuse an admin who requested the erasure themselves: the database says no (42501 → FORBIDDEN), nothing written', async () => {
    const target = await makePerson(admin, tenant)
    let request = await approver.value('consent.createRequest', { tenantId: tenant, subjectId: target.subjectId, requestType: 'erasure', regulation: 'gdpr' })
    request = await approver.value('consent.advanceRequest', { requestId: request.id, version: request.version, to: 'identity_verified', reason: null })
    request = await approver.value('consent.advanceRequest', { requestId: request.id, version: request.version, to: 'in_progress', reason: null })
    expect(await approver.call('consent.approveErasure', { requestId: request.id, version: request.version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await admin.query('select status, version from data_subject_requests where id = $1', [request.id])).rows[0]).toEqual({ status: 'in_progress', version: request.version })
  })

  it('show overdue requests with negative days left', async () => {
    const target = await makePerson(admin, tenant)
    const request = await support.value('consent.createRequest', { tenantId: tenant, subjectId: target.subjectId, requestType: 'rectification', regulation: 'gdpr' })
    // Received 40 days ago (as the owner, the only writer of history): the deadline follows.
    await admin.query(`alter table data_subject_requests disable trigger guard_subject_request`)
    try {
      await admin.query(`update data_subject_requests set received_at = received_at - interval '40 days', due_at = due_at - interval '40 days' where id = $1`, [request.id])
    } finally {
      await admin.query(`alter table data_subject_requests enable trigger guard_subject_request`)
    }
    const { requests } = await support.value('consent.requests', { tenantId: tenant, status: 'received' })
    expect(requests.find((r: { id: string }) => r.id === request.id)).toMatchObject({ overdue: true, daysLeft: -10 })
  })

  it('refuse finance, and bad input with typed errors, writing nothing', async () => {
    const lookupsBefore = await auditCount('LOOKUP')
    const requestsBefore = await requestCount()
    expect(await finance.call('consent.list', { tenantId: tenant })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await finance.call('consent.lookup', { kind: 'email', identity: person.email })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    for (const identity of [{ kind: 'email', identity: 'not-an-email' }, { kind: 'phone', identity: '12345' }, { kind: 'external_id', identity: 'NoColon' }, { kind: 'name', identity: 'Ana' }]) {
      expect(await support.call('consent.lookup', identity)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    }
    const unknownTenant = '00000000-0000-4000-8000-000000000000'
    expect(await support.call('consent.list', { tenantId: unknownTenant })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await support.call('consent.createRequest', { tenantId: unknownTenant, subjectId: person.subjectId, requestType: 'access', regulation: 'gdpr' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
    // Approving a denied request.
    const target = await makePerson(admin, tenant)
    const request = await support.value('consent.createRequest', { tenantId: tenant, subjectId: target.subjectId, requestType: 'erasure', regulation: 'gdpr' })
    expect(await support.call('consent.advanceRequest', { requestId: request.id, version: request.version, to: 'denied', reason: null })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    const denied = await support.value('consent.advanceRequest', { requestId: request.id, version: request.version, to: 'denied', reason: 'The identity could not be confirmed' })
    const afterDenial = await requestCount()
    expect(await approver.call('consent.approveErasure', { requestId: request.id, version: denied.version })).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    expect((await admin.query('select status, version from data_subject_requests where id = $1', [request.id])).rows[0]).toEqual({ status: 'denied', version: denied.version })
    expect(await requestCount()).toBe(afterDenial)
    expect(afterDenial).toBe(requestsBefore + 1)
    expect(await auditCount('LOOKUP')).toBe(lookupsBefore)
  })
})
