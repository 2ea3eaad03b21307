import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { UTF8_BOM } from '../../src/main/csv'
import { parseCsv } from '../helpers/csv'
import { withAdmin } from '../helpers/db'
import { makeSupportTenants, offlineSession, operatorSession, writesFor, type OperatorSession, type SupportTenant } from './harness'

let mine: SupportTenant[]
let other: SupportTenant
let support: OperatorSession
let admin: OperatorSession
let finance: OperatorSession

beforeAll(async () => {
  mine = await makeSupportTenants(3, 'dir')
  other = (await makeSupportTenants(1, 'hidden'))[0]!
  support = await operatorSession(['support'], mine.map((t) => t.id))
  admin = await operatorSession(['admin'], [null])
  finance = await operatorSession(['finance'], [])
})

afterAll(async () => {
  expect([...support.internalErrors, ...admin.internalErrors, ...finance.internalErrors]).toEqual([])
  await Promise.all([support.close(), admin.close(), finance.close()])
})

const ids = (page: { rows: { id: string }[] }) => page.rows.map((r) => r.id).sort()

describe('tenants.list', () => {
  it('shows a support operator exactly the assigned tenants, with their aggregates and no secret', async () => {
    const page = await support.value('tenants.list', { search: 'dir ' })
    expect(ids(page)).toEqual(mine.map((t) => t.id).sort())
    expect(page.total).toBe(3)
    const row = page.rows.find((r: { id: string }) => r.id === mine[0]!.id)
    expect(row).toMatchObject({ domainCount: 2, verifiedDomains: 1, agentUsage: 1500, agentUsageLimit: 1000, usageRatio: 1.5, credentialsExpiring: 2 })
    expect(row.domains).toEqual([mine[0]!.domain, `chat.${mine[0]!.domain}`].sort())
    expect(JSON.stringify(page)).not.toContain('enc:v1')
  })

  it('finds a tenant by name, slug, domain and contact e-mail, case-insensitively', async () => {
    const target = mine[1]!
    for (const search of [target.name.toUpperCase(), target.slug, target.domain, `chat.${target.domain}`, target.email]) {
      expect(ids(await support.value('tenants.list', { search })), search).toEqual([target.id])
    }
    expect((await support.value('tenants.list', { search: other.slug })).total).toBe(0)
  })

  it('matches LIKE wildcards literally', async () => {
    expect((await support.value('tenants.list', { search: '%' })).total).toBe(0)
    expect((await support.value('tenants.list', { search: '_' })).total).toBe(0)
  })

  it('filters by status, plan and industry', async () => {
    const health = await support.value('tenants.list', { industry: 'health' })
    expect(ids(health)).toEqual([mine[0]!.id, mine[2]!.id].sort())
    const professional = await support.value('tenants.list', { plan: 'professional' })
    expect(ids(professional)).toEqual([mine[1]!.id])
    expect((await support.value('tenants.list', { status: 'suspended' })).total).toBe(0)
  })

  it('sorts on any column in both directions and pages with a stable total', async () => {
    const ascending = await admin.value('tenants.list', { search: 'dir ', sort: 'name', direction: 'asc' })
    const descending = await admin.value('tenants.list', { search: 'dir ', sort: 'name', direction: 'desc' })
    expect(descending.rows.map((r: { id: string }) => r.id)).toEqual([...ascending.rows.map((r: { id: string }) => r.id)].reverse())
    for (const sort of ['status', 'plan', 'verifiedDomains', 'usage', 'credentialsExpiring', 'createdAt']) {
      expect((await admin.value('tenants.list', { search: 'dir ', sort, direction: 'desc' })).total, sort).toBe(3)
    }
    const second = await admin.value('tenants.list', { search: 'dir ', offset: 1, limit: 1 })
    expect(second).toMatchObject({ total: 3, offset: 1 })
    expect(second.rows[0].id).toBe(ascending.rows[1].id)
    const beyond = await admin.value('tenants.list', { search: 'dir ', offset: 10, limit: 5 })
    expect(beyond).toMatchObject({ rows: [], total: 3 })
  })

  it('is refused by the database for groups without a directory', async () => {
    const result = await finance.call('tenants.list', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('answers OFFLINE without a database', async () => {
    expect(await offlineSession().call('tenants.list', {})).toMatchObject({ ok: false, error: { code: 'OFFLINE', retryable: true } })
  })
})

describe('tenants.facets', () => {
  it('lists the plans and industries of the visible tenants only', async () => {
    await withAdmin((a) => a.query(`update tenants set business_industry = 'secret-industry' where id = $1`, [other.id]))
    const facets = await support.value('tenants.facets', {})
    expect(facets.plans).toEqual(['professional', 'starter'])
    expect(facets.industries).toEqual(['health', 'retail'])
    expect((await admin.value('tenants.facets', {})).industries).toContain('secret-industry')
  })
})

describe('tenants.export, through the one export path', () => {
  it('exports the filtered directory as CSV in the background and defuses spreadsheet formulas', async () => {
    await withAdmin((a) => a.query(`update tenants set name = '=HYPERLINK("http://evil")' where id = $1`, [mine[2]!.id]))
    const started = await support.value('tenants.export', { filter: { industry: 'health', sort: 'name' }, jobId: 'export-directory-1' })
    expect(started).toMatchObject({ total: 2, fileName: expect.stringMatching(/^tenants-\d{4}-\d{2}-\d{2}\.csv$/) })
    await support.exports.settled(started.exportId)
    const text = await readFile(support.exports.ready(started.exportId).file, 'utf8')
    expect(text.startsWith(UTF8_BOM)).toBe(true)
    const [header, ...rows] = parseCsv(text.slice(1))
    expect(header!.join(',')).toBe('slug,name,status,plan,industry,contact_email,domains,verified_domains,agent_usage_last_day,agent_usage_limit,credentials_expiring,next_credential_expiry,created_at')
    expect(rows.map((r) => r[0]).sort()).toEqual([mine[0]!.slug, mine[2]!.slug].sort())
    expect(rows.find((r) => r[0] === mine[2]!.slug)![1]).toBe(`'=HYPERLINK("http://evil")`)
    expect(text).not.toContain(other.slug)
    const progress = support.events.filter((e) => e.type === 'progress' && e.jobId === 'export-directory-1')
    expect(progress.at(-1)).toMatchObject({ kind: 'export', finished: true, done: 2, total: 2 })
  })

  it('refuses while offline and for a bad filter, with typed errors', async () => {
    expect(await offlineSession().call('tenants.export', { filter: { sort: 'name' }, jobId: 'export-directory-2' })).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    expect(await support.call('tenants.export', { filter: { sort: 'nonsense' }, jobId: 'export-directory-3' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })
})

describe('tenants.search (command palette)', () => {
  it('returns a few visible tenants by name or domain', async () => {
    const { matches } = await support.value('tenants.search', { query: mine[0]!.domain })
    expect(matches).toEqual([{ id: mine[0]!.id, slug: mine[0]!.slug, name: mine[0]!.name, status: 'active' }])
    expect((await support.value('tenants.search', { query: other.slug })).matches).toEqual([])
    expect((await support.value('tenants.search', { query: 'dir', limit: 2 })).matches).toHaveLength(2)
  })
})

describe('tenants.lookup and tenants.requestAccess (break-glass)', () => {
  it('finds a hidden tenant only by an exact slug, domain, URL or e-mail', async () => {
    for (const term of [other.slug, other.domain, `https://www.${other.domain}/contact`, other.email.toUpperCase()]) {
      expect((await support.value('tenants.lookup', { term })).matches, term).toEqual([{ id: other.id, slug: other.slug, name: other.name, visible: false }])
    }
    expect((await support.value('tenants.lookup', { term: other.slug.slice(0, -2) })).matches).toEqual([])
    expect((await support.value('tenants.lookup', { term: mine[0]!.slug })).matches[0].visible).toBe(true)
    expect(await finance.call('tenants.lookup', { term: other.slug })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('grants time-boxed access after which the tenant is listed and opens; the grant is audited with the operator as actor', async () => {
    const operator = await operatorSession(['support'], [])
    try {
      expect(await operator.call('tenants.get', { tenantId: other.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
      const before = Date.now()
      const grant = await operator.value('tenants.requestAccess', { tenantId: other.id, reason: 'Customer called about ticket 4411', minutes: 30 })
      expect(grant.tenantId).toBe(other.id)
      expect(Date.parse(grant.expiresAt) - before).toBeGreaterThan(29 * 60_000)
      expect(Date.parse(grant.expiresAt) - before).toBeLessThan(31 * 60_000)
      expect(ids(await operator.value('tenants.list', {}))).toEqual([other.id])
      const detail = await operator.value('tenants.get', { tenantId: other.id })
      expect(detail.access).toMatchObject({ kind: 'break_glass' })
      const audit = await withAdmin((a) =>
        a.query(`select actor, new_values ->> 'reason' as reason from audit_logs where tenant_id = $1 and resource_type = 'break_glass_grants' order by seq desc limit 1`, [other.id])
      )
      expect(audit.rows[0]).toEqual({ actor: operator.name, reason: 'Customer called about ticket 4411' })
    } finally {
      await operator.close()
    }
  })

  it('refuses an unknown tenant and other groups, writing nothing', async () => {
    const mark = await writesFor([other.id])
    expect(await support.call('tenants.requestAccess', { tenantId: '00000000-0000-4000-8000-000000000000', reason: 'Customer called about it', minutes: 5 })).toMatchObject({
      ok: false, error: { code: 'NOT_FOUND' }
    })
    expect(await finance.call('tenants.requestAccess', { tenantId: other.id, reason: 'Customer called about it', minutes: 5 })).toMatchObject({
      ok: false, error: { code: 'FORBIDDEN' }
    })
    expect(await writesFor([other.id])).toBe(mark)
  })
})
