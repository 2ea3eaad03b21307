import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Backend } from '../../src/main/backend-types'
import type { OperatorGroup } from '../../src/main/db/operators'
import type { Database } from '../../src/main/db/types'
import { requestsDueItem, subjectRequestsDue } from '../../src/main/domains/consent/inbox'
import { credentialsDue, credentialsDueItems } from '../../src/main/domains/credentials/inbox'
import { moderationOverSla, queueOverSla } from '../../src/main/domains/marketplace/inbox'
import { collectInbox } from '../../src/main/inbox/collect'
import type { InboxProvider } from '../../src/main/inbox/provider'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { makeCredential } from '../credentials/fixture'
import { adminClient, makeOperator, makeTenant } from '../helpers/db'
import { makePerson } from '../consent/people'
import { act, draftTemplate, templateRow } from '../marketplace/helpers'

/*
 * Issue 15, the inbox items of the marketplace, consent and credentials areas, against the run's
 * own PostgreSQL as real operator roles: each appears for the groups that handle it (support only
 * for its own tenants), not for the others (and the database refuses them the source), and goes
 * away once handled.
 */

const PROVIDERS: InboxProvider[] = [moderationOverSla, subjectRequestsDue, credentialsDue]

let admin: pg.Client
const databases: Database[] = []
const clients: pg.Client[] = []

interface Session {
  db: Database
  backend: Backend
  read(): Promise<Awaited<ReturnType<typeof collectInbox>>>
}

/** The backend parts these providers read, with the database logged in as a real operator of `groups`. */
async function sessionAs(groups: OperatorGroup[], tenants: (string | null)[]): Promise<Session> {
  const operator = await makeOperator(groups, tenants)
  const db = operator.database({ maxConnections: 2 })
  databases.push(db)
  const status: ConnectionStatus = { state: 'online', profileId: 'test', profileName: 'test', demo: false, lastSyncAt: null, operator: operator.name, groups: [...groups] }
  const backend = { db, status: () => status } as unknown as Backend
  return { db, backend, read: () => collectInbox(backend, PROVIDERS, new Date()) }
}

beforeAll(async () => {
  admin = await adminClient()
})

afterAll(async () => {
  await Promise.all(databases.map((db) => db.close()))
  await Promise.all(clients.map((client) => client.end()))
  await admin?.end()
})

describe('the moderation queue over its SLA', () => {
  let tenant: string
  let late: string
  let slaHours: number

  beforeAll(async () => {
    tenant = (await makeTenant('inbox-market')).id
    const { rows } = await admin.query<{ id: string }>(`insert into users (tenant_id, email, full_name) values ($1, 'author@example.com', 'Ana Autora') returning id`, [tenant])
    slaHours = (await admin.query<{ h: number }>('select extract(epoch from review_sla)::integer / 3600 as h from moderation_settings')).rows[0]!.h
    late = await draftTemplate(admin, tenant, rows[0]!.id, 'Late lead intake')
    const fresh = await draftTemplate(admin, tenant, rows[0]!.id, 'Fresh lead intake')
    await act(admin, admin, 'submit', late)
    await act(admin, admin, 'submit', fresh)
    // Submitted three times the target ago (urgent); the other an hour ago, within it.
    await admin.query(`update templates set submitted_at = now() - make_interval(hours => $2::integer * 3) where id = $1`, [late, slaHours])
  })

  it('is in the inbox of moderators and all-tenant admins, once for the queue, opening the queue', async () => {
    for (const [groups, tenants] of [[['moderator'], []], [['admin'], [null]]] as [OperatorGroup[], (string | null)[]][]) {
      const inbox = await (await sessionAs(groups, tenants)).read()
      expect(inbox.gaps).toEqual([])
      const items = inbox.items.filter((item) => item.area === 'marketplace')
      expect(items).toHaveLength(1)
      // The queue is the platform's: other files of this run may have late templates waiting too, so
      // ours is one of the count and the oldest is at least as old as ours.
      expect(items[0]).toMatchObject({ id: 'overSla:queue', kind: 'overSla', severity: 'critical', href: ['marketplace'], tenant: null, values: { slaHours } })
      expect(items[0]!.values.count).toBeGreaterThanOrEqual(1)
      const submitted = (await templateRow(admin, late)).submitted_at as Date
      expect(Date.parse(String(items[0]!.values.oldestSubmittedAt))).toBeLessThanOrEqual(Math.floor(submitted.getTime()))
    }
  })

  it('is not for support or finance, and the database agrees: finance may not read templates, an admin of one tenant sees none waiting', async () => {
    for (const groups of [['support'], ['finance']] as OperatorGroup[][]) {
      const inbox = await (await sessionAs(groups, [tenant])).read()
      expect(inbox.items).toEqual([])
      expect(inbox.gaps).toEqual([])
    }
    const finance = await sessionAs(['finance'], [null])
    await expect(moderationOverSla.collect(finance.backend, new Date())).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // Support reads its tenants' templates one tenant at a time, never the platform's queue.
    const support = await sessionAs(['support'], [tenant])
    expect(await moderationOverSla.collect(support.backend, new Date())).toEqual([])
    const deskAdmin = await sessionAs(['admin'], [tenant])
    expect(await moderationOverSla.collect(deskAdmin.backend, new Date())).toEqual([])
  })

  it('goes away once the late template is decided', async () => {
    const moderator = await makeOperator(['moderator'])
    const client = await moderator.client()
    clients.push(client)
    const lateOnes = async () => (await admin.query<{ n: number }>(`select count(*)::int as n from templates where status in ('submitted', 'in_review') and submitted_at <= statement_timestamp() - (select review_sla from moderation_settings)`)).rows[0]!.n
    const queueItem = async () => (await (await sessionAs(['moderator'], [])).read()).items.find((item) => item.id === 'overSla:queue')
    await act(admin, client, 'claim', late)
    // Claimed is still waiting for a decision: still over the target.
    expect((await queueItem())?.values.count).toBeGreaterThanOrEqual(1)
    await client.query('select app.approve_template($1, $2, $3, $4)', [late, (await templateRow(admin, late)).version, 'meets_guidelines', ''])
    // Other files of this run may leave late templates of their own: the item then counts only those.
    const others = await lateOnes()
    const after = await queueItem()
    if (others === 0) expect(after).toBeUndefined()
    else expect(after?.values.count).toBe(others)
  })
})

describe('data-subject requests due soon or overdue', () => {
  let mine: string
  let other: string
  const requests: Record<string, string> = {}

  async function request(tenant: string, subject: string, receivedDaysAgo: number): Promise<string> {
    const { rows } = await admin.query<{ id: string }>(
      `insert into data_subject_requests (tenant_id, subject_id, request_type, regulation, received_at) values ($1, $2, 'access', 'gdpr', now() - make_interval(days => $3::integer)) returning id`,
      [tenant, subject, receivedDaysAgo]
    )
    return rows[0]!.id
  }

  async function close(id: string): Promise<void> {
    await admin.query(`update data_subject_requests set status = 'denied', denial_reason = 'Handled in the inbox test' where id = $1`, [id])
  }

  beforeAll(async () => {
    mine = (await makeTenant('inbox-dsr')).id
    other = (await makeTenant('inbox-dsr-other')).id
    const person = await makePerson(admin, mine)
    const stranger = await makePerson(admin, other)
    // GDPR gives 30 days: received 40 days ago is 10 days overdue, 25 days ago due in 5, 2 days ago due in 28.
    requests.overdue = await request(mine, person.subjectId, 40)
    requests.soon = await request(mine, person.subjectId, 25)
    requests.later = await request(mine, person.subjectId, 2)
    requests.elsewhere = await request(other, stranger.subjectId, 40)
  })

  it('gives support one item per own tenant, overdue first, opening that tenant\'s requests; not another desk\'s', async () => {
    const inbox = await (await sessionAs(['support'], [mine])).read()
    expect(inbox.gaps).toEqual([])
    const items = inbox.items.filter((item) => item.area === 'consent')
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ id: `requestsDue:${mine}`, kind: 'requestsOverdue', severity: 'critical', href: ['consent', 'requests', mine], values: { overdue: 1, dueSoon: 1, days: 7 } })
  })

  it('gives an all-tenant admin every tenant\'s', async () => {
    const ids = (await (await sessionAs(['admin'], [null])).read()).items.map((item) => item.id)
    expect(ids).toEqual(expect.arrayContaining([`requestsDue:${mine}`, `requestsDue:${other}`]))
  })

  it('is not for finance or moderators, and the database refuses them the figures', async () => {
    for (const group of ['finance', 'moderator'] as const) {
      const session = await sessionAs([group], [null])
      expect((await session.read()).items.filter((item) => item.area === 'consent')).toEqual([])
      await expect(subjectRequestsDue.collect(session.backend, new Date())).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(session.db.withPlatform((client) => client.query('select * from app.subject_requests_due(7)'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
  })

  it('turns to "due soon" once the overdue one is closed, and goes away once the other is', async () => {
    const support = await sessionAs(['support'], [mine])
    await close(requests.overdue!)
    const soon = (await support.read()).items.find((item) => item.id === `requestsDue:${mine}`)
    expect(soon).toMatchObject({ kind: 'requestsDue', severity: 'warning', values: { overdue: 0, dueSoon: 1 } })
    await close(requests.soon!)
    expect((await support.read()).items.filter((item) => item.area === 'consent')).toEqual([])
  })
})

describe('credentials due or overdue by the rotation policy', () => {
  let mine: string
  let other: string
  const credentials: Record<string, string> = {}

  async function expiresIn(id: string, days: number): Promise<void> {
    await admin.query(`update tenant_credentials set expires_at = now() + make_interval(days => $2::integer) where id = $1`, [id, days])
  }

  beforeAll(async () => {
    mine = (await makeTenant('inbox-cred')).id
    other = (await makeTenant('inbox-cred-other')).id
    credentials.overdue = (await makeCredential(mine)).id
    credentials.due = (await makeCredential(mine)).id
    credentials.fine = (await makeCredential(mine)).id
    credentials.revoked = (await makeCredential(mine)).id
    credentials.elsewhere = (await makeCredential(other)).id
    await expiresIn(credentials.overdue!, -2)
    await expiresIn(credentials.due!, 5)
    await expiresIn(credentials.revoked!, -3)
    await expiresIn(credentials.elsewhere!, -4)
    // A revoked credential needs no roll, however old.
    await admin.query(`update tenant_credentials set revoked_at = now(), revoked_by = 'inbox test', revoke_reason = 'Leaked in a ticket' where id = $1`, [credentials.revoked])
  })

  it('gives support its own tenants\' overdue and due credentials, each opening the due list; not another desk\'s', async () => {
    const inbox = await (await sessionAs(['support'], [mine])).read()
    expect(inbox.gaps).toEqual([])
    const items = inbox.items.filter((item) => item.area === 'credentials')
    expect(items).toEqual([
      expect.objectContaining({ id: 'credentialsOverdue', severity: 'critical', href: ['credentials', 'due', 'overdue'], values: { count: 1 } }),
      expect.objectContaining({ id: 'credentialsDue', severity: 'warning', href: ['credentials', 'due', 'due'], values: { count: 1, days: 14 } })
    ])
  })

  it('gives an all-tenant admin every tenant\'s', async () => {
    const overdue = (await (await sessionAs(['admin'], [null])).read()).items.find((item) => item.id === 'credentialsOverdue')
    expect(Number(overdue?.values.count)).toBeGreaterThanOrEqual(2)
  })

  it('is not for finance or moderators, and the database refuses them the figures', async () => {
    for (const group of ['finance', 'moderator'] as const) {
      const session = await sessionAs([group], [null])
      expect((await session.read()).items.filter((item) => item.area === 'credentials')).toEqual([])
      await expect(credentialsDue.collect(session.backend, new Date())).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
  })

  it('goes away once they are rolled (a new expiry)', async () => {
    const support = await sessionAs(['support'], [mine])
    await expiresIn(credentials.overdue!, 90)
    expect((await support.read()).items.map((item) => item.id)).toEqual(['credentialsDue'])
    await expiresIn(credentials.due!, 90)
    expect((await support.read()).items).toEqual([])
  })
})

describe('the rules', () => {
  const now = new Date('2026-03-01T12:00:00Z')

  it('the queue is over its SLA when one waiting item is; urgent at twice the target', () => {
    expect(queueOverSla({ over: 0, oldestSubmittedAt: null, slaHours: 48 }, now)).toBeNull()
    expect(queueOverSla({ over: 2, oldestSubmittedAt: '2026-02-27T10:00:00.000Z', slaHours: 48 }, now)).toMatchObject({ severity: 'warning', at: '2026-03-01T10:00:00.000Z', values: { count: 2 } })
    expect(queueOverSla({ over: 1, oldestSubmittedAt: '2026-02-25T12:00:00.000Z', slaHours: 48 }, now)).toMatchObject({ severity: 'critical' })
  })

  it('requests: overdue is urgent, due soon a warning, none is nothing', () => {
    const base = { tenantId: 't', tenantName: 'T', nextDueAt: '2026-03-03T00:00:00.000Z' }
    expect(requestsDueItem({ ...base, overdue: 0, dueSoon: 0 })).toBeNull()
    expect(requestsDueItem({ ...base, overdue: 0, dueSoon: 2 })).toMatchObject({ kind: 'requestsDue', severity: 'warning', at: base.nextDueAt })
    expect(requestsDueItem({ ...base, overdue: 1, dueSoon: 0 })).toMatchObject({ kind: 'requestsOverdue', severity: 'critical' })
  })

  it('credentials: one item per kind that has some', () => {
    expect(credentialsDueItems({ overdue: 0, dueSoon: 0, firstExpiredAt: null, nextExpiresAt: null }, now)).toEqual([])
    expect(credentialsDueItems({ overdue: 0, dueSoon: 3, firstExpiredAt: null, nextExpiresAt: '2026-03-05T00:00:00.000Z' }, now).map((item) => item.id)).toEqual(['credentialsDue'])
    expect(credentialsDueItems({ overdue: 4, dueSoon: 0, firstExpiredAt: '2026-02-01T00:00:00.000Z', nextExpiresAt: null }, now)).toMatchObject([{ id: 'credentialsOverdue', at: '2026-02-01T00:00:00.000Z' }])
  })
})
