import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withAdmin } from '../helpers/db'
import { makeSupportTenants, operatorSession, writesFor, type OperatorSession, type SupportTenant } from './harness'

let tenant: SupportTenant
let hidden: SupportTenant
let support: OperatorSession
let admin: OperatorSession
/** A support role whose connection status claims admin: the console's gate lets it through, so only the database refuses. */
let supportPosingAsAdmin: OperatorSession

beforeAll(async () => {
  const made = await makeSupportTenants(2, 'detail')
  tenant = made[0]!
  hidden = made[1]!
  support = await operatorSession(['support'], [tenant.id])
  admin = await operatorSession(['admin'], [null])
  supportPosingAsAdmin = await operatorSession(['support'], [tenant.id], { claimedGroups: ['admin'] })
})

afterAll(async () => {
  expect([...support.internalErrors, ...admin.internalErrors, ...supportPosingAsAdmin.internalErrors]).toEqual([])
  await Promise.all([support.close(), admin.close(), supportPosingAsAdmin.close()])
})

async function lastAudit(tenantId: string, table: string) {
  const { rows } = await withAdmin((a) =>
    a.query(`select actor, action, old_values, new_values from audit_logs where tenant_id = $1 and resource_type = $2 order by seq desc limit 1`, [tenantId, table])
  )
  return rows[0]
}

describe('tenants.get', () => {
  it('gathers profile, limits, domains with TXT records, gauges, credentials and failed executions — never a secret', async () => {
    const detail = await support.value('tenants.get', { tenantId: tenant.id })
    expect(detail.profile).toMatchObject({ id: tenant.id, slug: tenant.slug, name: tenant.name, contactEmail: tenant.email, status: 'active' })
    expect(detail.limits).toEqual({ agentUsageLimit: 1000, requestsPerMinute: 60, requestsPerHour: 3000, storageLimitMb: 500 })
    const unverified = detail.domains.find((d: { verified: boolean }) => !d.verified)
    expect(unverified.domain).toBe(`chat.${tenant.domain}`)
    expect(unverified.txtRecord.name).toBe(`_avia-verification.chat.${tenant.domain}`)
    expect(unverified.txtRecord.value).toMatch(/^avia-verification=[0-9a-f]{64}$/)
    expect(detail.usage).toEqual([
      { limit: 'agentUsageLimit', used: 1500, allowed: 1000, basis: 'agentCallsLastDay' },
      { limit: 'requestsPerMinute', used: 25, allowed: 60, basis: 'busiestMinuteLastDay' },
      { limit: 'requestsPerHour', used: 1500, allowed: 3000, basis: 'busiestHourLastDay' },
      { limit: 'storageLimitMb', used: 800, allowed: 500, basis: 'latestStorageSnapshot' }
    ])
    expect(detail.credentials).toMatchObject({ total: 2, active: 2, expiringSoon: 1, expired: 1 })
    expect(Date.parse(detail.credentials.nextExpiry) - Date.now()).toBeGreaterThan(2 * 86_400_000)
    expect(detail.failedExecutions).toHaveLength(1)
    expect(detail.failedExecutions[0]).toMatchObject({ workflowName: 'Lead intake', status: 'error', errorMessage: 'HTTP 429 from the CRM' })
    expect(detail.access).toEqual({ kind: 'assigned', expiresAt: null })
    expect(detail.lowConfidenceBelow).toBe(0.6)
    expect(JSON.stringify(detail)).not.toContain('enc:v1')
  })

  it('says how the admin reaches the tenant', async () => {
    const asAdmin = await admin.value('tenants.get', { tenantId: tenant.id })
    expect(asAdmin.access.kind).toBe('all')
  })

  it('does not reveal whether an unassigned tenant exists', async () => {
    const hiddenAnswer = await support.call('tenants.get', { tenantId: hidden.id })
    const unknownAnswer = await support.call('tenants.get', { tenantId: '00000000-0000-4000-8000-000000000001' })
    expect(hiddenAnswer).toEqual(unknownAnswer)
    expect(hiddenAnswer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('tenants.updateProfile', () => {
  it('saves the profile as the support operator and audits it under that role', async () => {
    const profile = await support.value('tenants.updateProfile', {
      tenantId: tenant.id,
      profile: { name: '  Renamed Clinic  ', contactEmail: 'new@clinic.example.com', websiteUrl: '', businessIndustry: 'dentistry' }
    })
    expect(profile).toMatchObject({ name: 'Renamed Clinic', contactEmail: 'new@clinic.example.com', websiteUrl: null, businessIndustry: 'dentistry', updatedBy: support.name })
    const audit = await lastAudit(tenant.id, 'tenants')
    expect(audit).toMatchObject({ actor: support.name, action: 'UPDATE', new_values: { name: 'Renamed Clinic' } })
  })

  it('refuses a tenant the operator cannot see, writing nothing', async () => {
    const mark = await writesFor([hidden.id])
    const result = await support.call('tenants.updateProfile', { tenantId: hidden.id, profile: { name: 'Taken over', contactEmail: null, websiteUrl: null, businessIndustry: null } })
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await writesFor([hidden.id])).toBe(mark)
  })
})

describe('tenants.setStatus', () => {
  it('suspends with a reason as the admin: audited with the admin as actor and shown in the timeline', async () => {
    const profile = await admin.value('tenants.setStatus', { tenantId: tenant.id, status: 'suspended', reason: 'Unpaid invoices since March' })
    expect(profile).toMatchObject({ status: 'suspended', statusReason: 'Unpaid invoices since March', updatedBy: admin.name })
    const audit = await lastAudit(tenant.id, 'tenants')
    expect(audit).toMatchObject({ actor: admin.name, old_values: { status: 'active' }, new_values: { status: 'suspended' } })
    const timeline = await support.value('tenants.timeline', { tenantId: tenant.id, kinds: ['audit'], limit: 5 })
    const entry = timeline.entries[0]
    expect(entry).toMatchObject({ kind: 'audit', actor: admin.name, event: 'UPDATE', subject: 'tenants' })
    expect(entry.changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: 'active', after: 'suspended' },
        { field: 'status_reason', before: null, after: 'Unpaid invoices since March' }
      ])
    )
  })

  it('refuses an unchanged status and, for support, is refused by the gate and by the database; nothing is written', async () => {
    const mark = await writesFor([tenant.id])
    expect(await admin.call('tenants.setStatus', { tenantId: tenant.id, status: 'suspended', reason: 'Still unpaid in April' })).toMatchObject({
      ok: false, error: { code: 'INVALID' }
    })
    expect(await support.call('tenants.setStatus', { tenantId: tenant.id, status: 'active', reason: 'Customer paid everything' })).toMatchObject({
      ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('tenants.changeStatus') }
    })
    expect(await supportPosingAsAdmin.call('tenants.setStatus', { tenantId: tenant.id, status: 'active', reason: 'Customer paid everything' })).toMatchObject({
      ok: false, error: { code: 'FORBIDDEN' }
    })
    expect(await writesFor([tenant.id])).toBe(mark)
    await admin.value('tenants.setStatus', { tenantId: tenant.id, status: 'active', reason: 'Customer paid everything' })
  })
})

describe('tenants.updateLimits', () => {
  const limits = { agentUsageLimit: 2500, requestsPerMinute: 90, requestsPerHour: 4000, storageLimitMb: 750 }

  it('changes the active limits as the admin and returns before and after', async () => {
    const result = await admin.value('tenants.updateLimits', { tenantId: tenant.id, limits })
    expect(result).toEqual({ before: { agentUsageLimit: 1000, requestsPerMinute: 60, requestsPerHour: 3000, storageLimitMb: 500 }, after: limits })
    expect((await support.value('tenants.get', { tenantId: tenant.id })).limits).toEqual(limits)
    expect(await lastAudit(tenant.id, 'tenant_limits')).toMatchObject({ actor: admin.name, new_values: { agent_usage_limit: 2500 } })
  })

  it('creates the limits row of a tenant that has none', async () => {
    await withAdmin((a) => a.query('delete from tenant_limits where tenant_id = $1', [hidden.id]))
    const result = await admin.value('tenants.updateLimits', { tenantId: hidden.id, limits })
    expect(result).toEqual({ before: null, after: limits })
  })

  it('is refused for a support operator by the gate and, when the gate is fooled, by the database', async () => {
    const mark = await writesFor([tenant.id])
    const result = await support.call('tenants.updateLimits', { tenantId: tenant.id, limits: { ...limits, agentUsageLimit: 99 } })
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('tenants.editLimits') } })
    const fooled = await supportPosingAsAdmin.call('tenants.updateLimits', { tenantId: tenant.id, limits: { ...limits, agentUsageLimit: 99 } })
    expect(fooled).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.not.stringContaining('tenants.editLimits') } })
    expect(await writesFor([tenant.id])).toBe(mark)
  })

  it('rejects negative, too large, fractional and non-numeric limits, and an hourly limit below the per-minute one', async () => {
    const mark = await writesFor([tenant.id])
    for (const bad of [
      { ...limits, agentUsageLimit: -1 },
      { ...limits, storageLimitMb: 10_485_761 },
      { ...limits, requestsPerMinute: 1.5 },
      { ...limits, requestsPerHour: '4000' },
      { ...limits, requestsPerHour: 10, requestsPerMinute: 11 }
    ]) {
      const result = await admin.call('tenants.updateLimits', { tenantId: tenant.id, limits: bad })
      expect(result.ok, JSON.stringify(bad)).toBe(false)
      if (!result.ok) {
        expect(result.error.code).toBe('BAD_INPUT')
        expect(result.error.issues?.[0]?.path).toMatch(/^limits\./)
      }
    }
    expect(await writesFor([tenant.id])).toBe(mark)
  })
})

describe('tenants.addDomain and tenants.removeDomain', () => {
  it('adds a valid host name unverified with its TXT record, refuses invalid and duplicate ones, and removes it', async () => {
    const mark = await writesFor([tenant.id])
    for (const domain of ['not a domain', 'http://x.example.com', '-bad.example.com', 'example', 'a..b.com', 'x'.repeat(64) + '.com']) {
      expect(await support.call('tenants.addDomain', { tenantId: tenant.id, domain }), domain).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    }
    expect(await support.call('tenants.addDomain', { tenantId: tenant.id, domain: hidden.domain })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await writesFor([tenant.id])).toBe(mark)

    const added = await support.value('tenants.addDomain', { tenantId: tenant.id, domain: '  Shop.Detail-Test.Example.COM ' })
    expect(added).toMatchObject({ domain: 'shop.detail-test.example.com', verified: false, verifiedAt: null })
    expect(added.txtRecord).toEqual({ name: '_avia-verification.shop.detail-test.example.com', value: expect.stringMatching(/^avia-verification=[0-9a-f]{64}$/) })
    expect(await lastAudit(tenant.id, 'tenant_domains')).toMatchObject({ actor: support.name, action: 'INSERT' })
    expect(await support.call('tenants.addDomain', { tenantId: tenant.id, domain: 'shop.detail-test.example.com' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    expect(await support.value('tenants.removeDomain', { tenantId: tenant.id, domainId: added.id })).toEqual({ id: added.id })
    expect(await support.call('tenants.removeDomain', { tenantId: tenant.id, domainId: added.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const domains = (await support.value('tenants.get', { tenantId: tenant.id })).domains.map((d: { domain: string }) => d.domain)
    expect(domains).not.toContain('shop.detail-test.example.com')
  })

  it('cannot remove another tenant’s domain through a visible tenant', async () => {
    const hiddenDomain = await withAdmin((a) => a.query<{ id: string }>('select id from tenant_domains where tenant_id = $1 limit 1', [hidden.id]))
    const mark = await writesFor([hidden.id, tenant.id])
    expect(await support.call('tenants.removeDomain', { tenantId: tenant.id, domainId: hiddenDomain.rows[0]!.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await writesFor([hidden.id, tenant.id])).toBe(mark)
  })
})
