import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Backend } from '../../src/main/backend-types'
import type { Database } from '../../src/main/db/types'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import type { BulkItemResult, DecisionResult, QueuePage, ReviewDecisionResult, RiskReportDto, TemplateDetail, VersionDiff } from '../../src/shared/rpc/areas/marketplace'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { adminClient, makeOperator, makeTenant, type TestOperator } from '../helpers/db'
import { draftTemplate, templateRow } from './helpers'

/**
 * Issue 11, the marketplace procedures through the real dispatcher and handlers, as real operator
 * roles on the run's database: what the queue and review screens call.
 */

const PLANTED = {
  nodes: [
    { id: 'hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', parameters: { path: 'orders' } },
    {
      id: 'post', name: 'Post', type: 'n8n-nodes-base.httpRequest',
      parameters: { url: 'https://collector.example.net/in', headerParameters: { parameters: [{ name: 'Authorization', value: 'Bearer sk_live_51HqZc8d7e6f5a4b3c2d1e0f9a8b7' }] } }
    }
  ],
  connections: { Webhook: { main: [[{ node: 'Post', type: 'main', index: 0 }]] } }
}

type Call = ReturnType<typeof createDispatcher>
const databases: Database[] = []
let admin: pg.Client
let tenant: string
let user: string
let carmen: TestOperator
let diego: TestOperator
let asCarmen: Call
let asDiego: Call

/** The dispatcher as the console runs it, signed in as `operator` in `groups`. */
function consoleAs(operator: TestOperator, groups: string[]): Call {
  const db = operator.database()
  databases.push(db)
  const status: ConnectionStatus = { state: 'online', profileId: 'p', profileName: 'p', demo: false, lastSyncAt: null, operator: operator.name, groups }
  const backend = { db, status: () => status } as Pick<Backend, 'db' | 'status'> as Backend
  return createDispatcher(handlers, () => ({ backend, emit: () => {} }), { logInternal: () => {} })
}

async function value<T>(call: Call, name: string, input: unknown): Promise<T> {
  const result = await call(name as never, input)
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
  return result.value as T
}

/** A template submitted with `definition` (the author's side runs as the admin). */
async function submitted(name: string, definition: unknown = PLANTED): Promise<string> {
  const id = await draftTemplate(admin, tenant, user, name)
  const { version } = await templateRow(admin, id)
  await admin.query('select app.submit_template($1, $2, $3)', [id, version, definition])
  return id
}

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('shop')).id
  const { rows } = await admin.query<{ id: string }>(`insert into users (tenant_id, email, full_name) values ($1, 'author@example.com', 'Ana Autora') returning id`, [tenant])
  user = rows[0]!.id
  carmen = await makeOperator(['moderator'], [], 'carmen')
  diego = await makeOperator(['moderator'], [], 'diego')
  asCarmen = consoleAs(carmen, ['moderator'])
  asDiego = consoleAs(diego, ['moderator'])
})

afterAll(async () => {
  await Promise.all(databases.map((d) => d.close()))
  await admin?.end()
})

describe('the queue', () => {
  it('lists the oldest submission first, with counts per state, the SLA and each item’s risk', async () => {
    const older = await submitted('Queue older')
    await admin.query(`update templates set submitted_at = now() - interval '3 days' where id = $1`, [older])
    await submitted('Queue newer', { nodes: [{ id: 'n', name: 'Cron', type: 'n8n-nodes-base.scheduleTrigger' }], connections: {} })
    const page = await value<QueuePage>(asCarmen, 'marketplace.queue', { search: 'Queue ' })
    expect(page.rows.map((r) => r.name)).toEqual(['Queue older', 'Queue newer'])
    expect(page.rows.map((r) => r.risk)).toEqual(['critical', 'low'])
    expect(page.counts.submitted).toBe(2)
    expect(page.total).toBe(2)
    expect(page.slaHours).toBe(48)
    expect(page.me).toBe(carmen.name)

    const critical = await value<QueuePage>(asCarmen, 'marketplace.queue', { search: 'Queue ', risk: 'high' })
    expect(critical.rows.map((r) => r.name)).toEqual(['Queue older'])
    const old = await value<QueuePage>(asCarmen, 'marketplace.queue', { search: 'Queue ', olderThanHours: 48 })
    expect(old.rows.map((r) => r.name)).toEqual(['Queue older'])
  })

  it('filters by who holds the claim: me, others, nobody', async () => {
    const id = await submitted('Claim filter')
    const row = (await value<QueuePage>(asCarmen, 'marketplace.queue', { search: 'Claim filter' })).rows[0]!
    const claimed = await value<DecisionResult>(asCarmen, 'marketplace.claim', { templateId: id, version: row.version })
    expect(claimed).toMatchObject({ status: 'in_review', claimedBy: carmen.name, version: row.version + 1 })
    const names = async (call: Call, claimedBy: string) =>
      (await value<QueuePage>(call, 'marketplace.queue', { search: 'Claim filter', claimed: claimedBy })).rows.map((r) => r.name)
    expect(await names(asCarmen, 'me')).toEqual(['Claim filter'])
    expect(await names(asDiego, 'me')).toEqual([])
    expect(await names(asDiego, 'others')).toEqual(['Claim filter'])
    expect(await names(asDiego, 'nobody')).toEqual([])
  })
})

describe('decisions', () => {
  it('a second moderator cannot claim the first one’s item, and a stale approve names who changed it', async () => {
    const id = await submitted('Race')
    const seen = (await value<TemplateDetail>(asDiego, 'marketplace.template', { templateId: id })).version
    await value(asCarmen, 'marketplace.claim', { templateId: id, version: seen })

    const claimAgain = await asDiego('marketplace.claim', { templateId: id, version: seen + 1 })
    expect(claimAgain).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(carmen.name) } })
    const stale = await asDiego('marketplace.approve', { templateId: id, version: seen, reasonCode: 'meets_guidelines', note: '' })
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(carmen.name) } })
    expect((await templateRow(admin, id)).status).toBe('in_review')
  })

  it('reject needs a reason code and a note: bad input is refused before the database, nothing changes', async () => {
    const id = await submitted('Bad reject')
    const detail = await value<TemplateDetail>(asCarmen, 'marketplace.template', { templateId: id })
    const claimed = await value<DecisionResult>(asCarmen, 'marketplace.claim', { templateId: id, version: detail.version })
    expect(await asCarmen('marketplace.reject', { templateId: id, version: claimed.version, reasonCode: 'hardcoded_secret', note: 'short' })).toMatchObject({
      ok: false, error: { code: 'BAD_INPUT' }
    })
    // A reason of another decision is the database's refusal, as INVALID.
    expect(await asCarmen('marketplace.reject', { templateId: id, version: claimed.version, reasonCode: 'spam', note: 'Remove the key from the HTTP node' })).toMatchObject({
      ok: false, error: { code: 'INVALID' }
    })
    expect((await templateRow(admin, id)).version).toBe(claimed.version)
    const rejected = await value<DecisionResult>(asCarmen, 'marketplace.reject', {
      templateId: id, version: claimed.version, reasonCode: 'hardcoded_secret', note: 'Remove the key from the HTTP node'
    })
    expect(rejected).toMatchObject({ status: 'rejected', claimedBy: null })
    const history = await value<{ entries: { action: string; actor: string; reasonCode: string | null }[] }>(asCarmen, 'marketplace.history', { templateId: id })
    expect(history.entries.map((e) => [e.action, e.actor, e.reasonCode])).toEqual([
      ['reject', carmen.name, 'hardcoded_secret'],
      ['claim', carmen.name, null],
      ['submit', 'postgres', null]
    ])
  })

  it('bulk approve gives a result per item: the one another moderator holds fails alone', async () => {
    const ids = [await submitted('Bulk one'), await submitted('Bulk two'), await submitted('Bulk three')]
    const versions = await Promise.all(ids.map(async (id) => (await templateRow(admin, id)).version as number))
    await value(asDiego, 'marketplace.claim', { templateId: ids[1], version: versions[1] })
    const { results } = await value<{ results: BulkItemResult[] }>(asCarmen, 'marketplace.bulkDecide', {
      decision: 'approve', reasonCode: 'meets_guidelines', note: '', items: ids.map((templateId, i) => ({ templateId, version: versions[i] }))
    })
    expect(results.map((r) => [r.ok, r.status ?? r.error?.code])).toEqual([[true, 'approved'], [false, 'CONFLICT'], [true, 'approved']])
    expect(results[1]!.error!.message).toContain(diego.name)
    expect((await Promise.all(ids.map((id) => templateRow(admin, id)))).map((t) => t.status)).toEqual(['approved', 'in_review', 'approved'])
  })

  it('publish, then take down with a public reason: purchases stay', async () => {
    const id = await submitted('Takedown')
    let version = (await templateRow(admin, id)).version as number
    version = (await value<DecisionResult>(asCarmen, 'marketplace.claim', { templateId: id, version })).version
    version = (await value<DecisionResult>(asCarmen, 'marketplace.approve', { templateId: id, version, reasonCode: 'meets_guidelines', note: '' })).version
    version = (await value<DecisionResult>(asCarmen, 'marketplace.publish', { templateId: id, version })).version
    await admin.query(`insert into template_purchases (tenant_id, template_id, buyer_user_id, price_paid, currency, status) values ($1, $2, $3, 0, 'USD', 'succeeded')`, [tenant, id, user])
    const down = await value<DecisionResult>(asCarmen, 'marketplace.takeDown', { templateId: id, version, reasonCode: 'security_issue', publicReason: 'Sends customer data to an unknown host' })
    expect(down.status).toBe('taken_down')
    const detail = await value<TemplateDetail>(asCarmen, 'marketplace.template', { templateId: id })
    expect(detail).toMatchObject({ takedownReason: 'Sends customer data to an unknown host', takenDownBy: carmen.name, downloadCount: 1 })
    expect((await value<{ total: number }>(asCarmen, 'marketplace.purchases', { templateId: id })).total).toBe(1)
  })
})

describe('review screen reads', () => {
  it('the risk report flags the planted key and the host, without showing the key', async () => {
    const id = await submitted('Planted key')
    const report = await value<RiskReportDto>(asCarmen, 'marketplace.risk', { templateId: id })
    expect(report.level).toBe('critical')
    expect(report.hosts).toEqual(['collector.example.net'])
    expect(report.findings.filter((f) => f.kind === 'hardcoded_secret').map((f) => f.nodeId)).toEqual(['post'])
    expect(report.findings.filter((f) => f.kind === 'exposed_webhook').map((f) => f.nodeId)).toEqual(['hook'])
    expect(JSON.stringify(report)).not.toContain('sk_live_51HqZc8d7e6f5a4b3c2d1e0f9a8b7')
  })

  it('the diff compares a resubmission with the previous submission, and with the approved version once there is one', async () => {
    const id = await submitted('Resubmitted')
    expect((await value<VersionDiff>(asCarmen, 'marketplace.diff', { templateId: id })).base).toBeNull()
    let version = (await templateRow(admin, id)).version as number
    version = (await value<DecisionResult>(asCarmen, 'marketplace.claim', { templateId: id, version })).version
    version = (await value<DecisionResult>(asCarmen, 'marketplace.reject', { templateId: id, version, reasonCode: 'hardcoded_secret', note: 'Remove the key, then resubmit' })).version
    const v2 = structuredClone(PLANTED) as { nodes: { id: string; name: string; type: string; parameters: Record<string, unknown> }[]; connections: unknown }
    v2.nodes[1]!.parameters = { url: 'https://api.hubspot.com/crm' }
    v2.nodes.push({ id: 'log', name: 'Log', type: 'n8n-nodes-base.set', parameters: {} })
    await admin.query('select app.submit_template($1, $2, $3)', [id, version, v2])
    const diff = await value<VersionDiff>(asCarmen, 'marketplace.diff', { templateId: id })
    expect(diff.base).toMatchObject({ number: 1, kind: 'previous' })
    expect(diff.target).toMatchObject({ number: 2 })
    expect(diff.added.map((n) => n.id)).toEqual(['log'])
    expect(diff.changed.map((c) => [c.id, c.changes.map((x) => x.path)])).toEqual([
      ['post', ['parameters.url', 'parameters.headerParameters']]
    ])

    version = (await templateRow(admin, id)).version as number
    version = (await value<DecisionResult>(asCarmen, 'marketplace.claim', { templateId: id, version })).version
    await value(asCarmen, 'marketplace.approve', { templateId: id, version, reasonCode: 'meets_guidelines', note: '' })
    const approved = await value<VersionDiff>(asCarmen, 'marketplace.diff', { templateId: id })
    expect(approved.base).toMatchObject({ number: 2, kind: 'approved' })
    expect(approved.added).toEqual([])
  })

  it('hiding the only review sets the rating to zero at once; unhiding brings it back', async () => {
    const id = await submitted('Reviewed')
    let version = (await templateRow(admin, id)).version as number
    version = (await value<DecisionResult>(asCarmen, 'marketplace.claim', { templateId: id, version })).version
    version = (await value<DecisionResult>(asCarmen, 'marketplace.approve', { templateId: id, version, reasonCode: 'meets_guidelines', note: '' })).version
    await value(asCarmen, 'marketplace.publish', { templateId: id, version })
    await admin.query(`insert into reviews (tenant_id, template_id, reviewer_user_id, rating, title, content) values ($1, $2, $3, 5, 'Great', 'You idiots, buy it')`, [tenant, id, user])
    const found = await value<{ rows: { id: string; version: number }[] }>(asCarmen, 'marketplace.reviews', { search: 'idiots', templateId: id })
    expect(found.rows).toHaveLength(1)
    const hidden = await value<ReviewDecisionResult>(asCarmen, 'marketplace.hideReview', { reviewId: found.rows[0]!.id, version: found.rows[0]!.version, reasonCode: 'abusive', note: 'Insults' })
    expect(hidden).toMatchObject({ ratingAvg: '0.00', ratingCount: 0, review: { hidden: true, hiddenBy: carmen.name, hiddenReasonCode: 'abusive' } })
    const shown = await value<ReviewDecisionResult>(asCarmen, 'marketplace.unhideReview', { reviewId: hidden.review.id, version: hidden.review.version, reasonCode: 'hidden_in_error', note: '' })
    expect(shown).toMatchObject({ ratingAvg: '5.00', ratingCount: 1, review: { hidden: false } })
  })
})

describe('the author', () => {
  it('is named to moderators; other users of the tenant and every e-mail stay hidden', async () => {
    const id = await submitted('Authored')
    expect((await value<TemplateDetail>(asCarmen, 'marketplace.template', { templateId: id })).authorName).toBe('Ana Autora')
    await admin.query(`insert into users (tenant_id, email, full_name) values ($1, 'bystander@example.com', 'Berta Bystander')`, [tenant])
    await carmen.withClient(async (client) => {
      const { rows } = await client.query<{ full_name: string }>('select full_name from users where tenant_id = $1 order by full_name', [tenant])
      expect(rows.map((r) => r.full_name)).toEqual(['Ana Autora'])
      await expect(client.query('select email from users where tenant_id = $1', [tenant])).rejects.toMatchObject({ code: '42501' })
    })
  })
})

describe('who may moderate', () => {
  it('support is refused by the gate, and by the database (42501 → FORBIDDEN) when the gate is passed', async () => {
    const support = await makeOperator(['support'], [tenant])
    const id = await submitted('Support tries')
    const { version } = await templateRow(admin, id)
    const gate = consoleAs(support, ['support'])
    expect(await gate('marketplace.queue', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('requiresModeratorOrAdmin') } })
    // Claiming the groups of a moderator gets it past the console's gate, not past the database.
    const pretending = consoleAs(support, ['moderator'])
    expect(await pretending('marketplace.claim', { templateId: id, version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await templateRow(admin, id)).status).toBe('submitted')
  })

  it('an admin assigned to all tenants moderates', async () => {
    const javier = await makeOperator(['admin'], [null], 'javier')
    const asAdmin = consoleAs(javier, ['admin'])
    const id = await submitted('Admin claims')
    const { version } = await templateRow(admin, id)
    expect(await value<DecisionResult>(asAdmin, 'marketplace.claim', { templateId: id, version })).toMatchObject({ claimedBy: javier.name })
    const settings = await value<{ slaHours: number }>(asAdmin, 'marketplace.updateSettings', { slaHours: 48, claimLeaseMinutes: 30 })
    expect(settings).toEqual({ slaHours: 48, claimLeaseMinutes: 30 })
    expect(await asCarmen('marketplace.updateSettings', { slaHours: 24, claimLeaseMinutes: 30 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('counts per state (migration 015)', () => {
  const live = async () =>
    Object.fromEntries((await admin.query<{ status: string; n: number }>('select status, count(*)::int as n from templates group by status')).rows.map((r) => [r.status, r.n]))
  /**
   * The kept counts and the live ones from one statement, so one snapshot: other test files move
   * templates of the shared database meanwhile, and two reads saw one claimed in between.
   */
  const keptAndLive = async () => {
    const { rows } = await admin.query<{ kept: Record<string, number> | null; live: Record<string, number> | null }>(
      `select (select json_object_agg(status, templates::int) from template_state_counts where templates > 0) as kept,
              (select json_object_agg(status, n) from (select status, count(*)::int as n from templates group by status) c) as live`
    )
    return { kept: rows[0]!.kept ?? {}, live: rows[0]!.live ?? {} }
  }
  const expectKeptEqualsLive = async () => {
    const { kept: k, live: l } = await keptAndLive()
    expect(k).toEqual(l)
  }

  it('follow every transition, a bulk load with triggers off, and a delete; the unfiltered queue reads them', async () => {
    const id = await submitted('Counted')
    let version = (await templateRow(admin, id)).version as number
    version = (await value<DecisionResult>(asCarmen, 'marketplace.claim', { templateId: id, version })).version
    await value(asCarmen, 'marketplace.approve', { templateId: id, version, reasonCode: 'meets_guidelines', note: '' })
    await expectKeptEqualsLive()

    // As the seed loads: session_replication_role = replica turns ordinary triggers off, not these.
    await admin.query('begin')
    await admin.query('set local session_replication_role = replica')
    await admin.query(
      `insert into templates (tenant_id, creator_user_id, name, description, category, status) select $1, $2, 'Bulk ' || i, 'x', 'crm', 'draft' from generate_series(1, 25) i`,
      [tenant, user]
    )
    await admin.query('commit')
    await expectKeptEqualsLive()
    await admin.query(`delete from templates where name like 'Bulk %' and status = 'draft'`)
    await expectKeptEqualsLive()

    const page = await value<QueuePage>(asCarmen, 'marketplace.queue', {})
    expect(page.counts).toMatchObject(await live())
    expect(page.total).toBe(((await live()).submitted ?? 0) + ((await live()).in_review ?? 0))
  })
})
