import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withAdmin } from '../helpers/db'
import { makeSupportTenants, operatorSession, type OperatorSession, type SupportTenant } from './harness'

let tenant: SupportTenant
let hidden: SupportTenant
let support: OperatorSession

beforeAll(async () => {
  const made = await makeSupportTenants(2, 'care')
  tenant = made[0]!
  hidden = made[1]!
  support = await operatorSession(['support'], [tenant.id])
})

afterAll(async () => {
  expect(support.internalErrors).toEqual([])
  await support.close()
})

describe('tenants.sessions', () => {
  it('lists the sessions with channel, activity, expiry, message count and the context as parts', async () => {
    const { sessions, total } = await support.value('tenants.sessions', { tenantId: tenant.id })
    expect(total).toBe(1)
    expect(sessions[0]).toMatchObject({
      id: tenant.sessionId, channel: 'whatsapp', device: 'mobile', userId: 'customer-7', conversationCount: 2, expired: false,
      context: { userPreferences: { language: 'es', tone: 'formal' }, businessContext: { plan: 'gold', openTicket: 'T-81' }, sessionMetadata: { source: 'ad' } }
    })
    expect(await support.call('tenants.sessions', { tenantId: hidden.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('tenants.transcript', () => {
  it('returns the messages in order, flagging answers below the tenant’s confidence threshold', async () => {
    const result = await support.value('tenants.transcript', { tenantId: tenant.id, sessionId: tenant.sessionId })
    expect(result.lowConfidenceBelow).toBe(0.6)
    expect(result.messages.map((m: { confidence: number; lowConfidence: boolean; sentiment: string }) => [m.confidence, m.lowConfidence, m.sentiment])).toEqual([
      [0.92, false, 'neutral'],
      [0.31, true, 'negative']
    ])
  })

  it('does not open another tenant’s session through a visible tenant', async () => {
    expect(await support.call('tenants.transcript', { tenantId: tenant.id, sessionId: hidden.sessionId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('tenants.searchConversations', () => {
  it('finds messages and answers by text, with wildcards taken literally, in this tenant only', async () => {
    const invoice = await support.value('tenants.searchConversations', { tenantId: tenant.id, query: 'INVOICE for march' })
    expect(invoice.matches).toHaveLength(1)
    expect(invoice.matches[0]).toMatchObject({ sessionId: tenant.sessionId, lowConfidence: true })
    expect((await support.value('tenants.searchConversations', { tenantId: tenant.id, query: 'ships tomorrow' })).matches).toHaveLength(1)
    expect((await support.value('tenants.searchConversations', { tenantId: tenant.id, query: '100%' })).matches).toHaveLength(1)
    expect((await support.value('tenants.searchConversations', { tenantId: tenant.id, query: '%%' })).matches).toHaveLength(0)
    expect(await support.call('tenants.searchConversations', { tenantId: hidden.id, query: 'invoice' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('tenants.timeline', () => {
  it('merges audit events, failed executions, breaches, consent and credential events, newest first', async () => {
    const { entries } = await support.value('tenants.timeline', { tenantId: tenant.id, limit: 200 })
    const kinds = new Set(entries.map((e: { kind: string }) => e.kind))
    expect([...kinds].sort()).toEqual(['audit', 'breach', 'consent', 'credential', 'execution'])
    const times = entries.map((e: { at: string }) => Date.parse(e.at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(entries.find((e: { kind: string }) => e.kind === 'execution')).toMatchObject({ event: 'error', subject: 'Lead intake', detail: 'HTTP 429 from the CRM' })
    expect(entries.filter((e: { kind: string }) => e.kind === 'breach').map((e: { event: string; measure: unknown }) => [e.event, e.measure]).sort()).toEqual([
      ['agentCalls', { used: 1500, allowed: 1000 }],
      ['storage', { used: 800, allowed: 500 }]
    ])
    expect(entries.filter((e: { kind: string }) => e.kind === 'consent').map((e: { event: string }) => e.event)).toEqual(['revoked', 'granted'])
    expect(entries.filter((e: { kind: string }) => e.kind === 'credential').map((e: { event: string }) => e.event).sort()).toEqual(['expired', 'issued', 'issued'])
    expect(new Set(entries.map((e: { key: string }) => e.key)).size).toBe(entries.length)
    expect(JSON.stringify(entries)).not.toContain('enc:v1')
  })

  it('counts a day’s agent calls over every currency against the allowance (600 EUR + 600 USD calls are 1,200)', async () => {
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)
    await withAdmin(async (admin) => {
      await admin.query(
        `insert into usage_records (tenant_id, usage_type, quantity, currency, period_start, period_end, recorded_at)
         values ($1, 'ai_calls', 600, 'EUR', $2, $2, $2), ($1, 'ai_calls', 600, 'USD', $3, $3, $3)`,
        [tenant.id, `${day}T09:00:00Z`, `${day}T10:00:00Z`]
      )
      await admin.query('select app.fold_daily_usage()')
    })
    const { entries } = await support.value('tenants.timeline', { tenantId: tenant.id, limit: 200, kinds: ['breach'] })
    expect(entries.filter((e: { detail: string | null }) => e.detail === day).map((e: { measure: unknown }) => e.measure)).toEqual([{ used: 1200, allowed: 1000 }])
  })

  it('filters by kind and pages with a cursor without repeating entries', async () => {
    const onlyConsent = await support.value('tenants.timeline', { tenantId: tenant.id, kinds: ['consent'] })
    expect(onlyConsent.entries.every((e: { kind: string }) => e.kind === 'consent')).toBe(true)
    const all = (await support.value('tenants.timeline', { tenantId: tenant.id, limit: 200 })).entries.map((e: { key: string }) => e.key)
    const paged: string[] = []
    let before: string | null = null
    for (let guard = 0; guard < 50; guard++) {
      const page: { entries: { key: string }[]; nextBefore: string | null } = await support.value('tenants.timeline', { tenantId: tenant.id, limit: 3, before })
      paged.push(...page.entries.map((e) => e.key))
      if (!page.nextBefore) break
      before = page.nextBefore
    }
    expect(new Set(paged).size).toBe(paged.length)
    expect(paged).toEqual(all)
  })

  it('shows support changes with the support operator as actor, and refuses hidden tenants', async () => {
    await support.value('tenants.addDomain', { tenantId: tenant.id, domain: 'timeline-check.example.org' })
    const { entries } = await support.value('tenants.timeline', { tenantId: tenant.id, kinds: ['audit'], limit: 1 })
    expect(entries[0]).toMatchObject({ actor: support.name, event: 'INSERT', subject: 'tenant_domains' })
    expect(entries[0].changes).toEqual(expect.arrayContaining([{ field: 'domain', before: null, after: 'timeline-check.example.org' }]))
    expect(await support.call('tenants.timeline', { tenantId: hidden.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const secretAudit = await withAdmin((a) => a.query(`select count(*)::int as n from audit_logs where tenant_id = $1 and resource_type = 'tenant_credentials'`, [tenant.id]))
    expect(secretAudit.rows[0]!.n).toBeGreaterThan(0)
  })
})
