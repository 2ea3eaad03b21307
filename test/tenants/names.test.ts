import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeOperator } from '../helpers/db'
import { makeSupportTenants, operatorSession, type OperatorSession, type SupportTenant } from './harness'

let tenants: SupportTenant[]
let finance: OperatorSession
let moderator: OperatorSession
let support: OperatorSession

beforeAll(async () => {
  tenants = await makeSupportTenants(2, 'names')
  finance = await operatorSession(['finance'], [])
  moderator = await operatorSession(['moderator'], [])
  support = await operatorSession(['support'], [tenants[0]!.id])
})

afterAll(async () => {
  expect([...finance.internalErrors, ...moderator.internalErrors, ...support.internalErrors]).toEqual([])
  await Promise.all([finance.close(), moderator.close(), support.close()])
})

describe('tenants.names: the tenant list of finance and moderators', () => {
  it('gives finance every tenant’s name, slug, plan and status, and nothing else', async () => {
    const page = await finance.value('tenants.names', { search: 'names ' })
    expect(page.total).toBe(2)
    expect(page.rows).toEqual(
      tenants.map((t, i) => ({ id: t.id, slug: t.slug, name: t.name, plan: i % 2 ? 'professional' : 'starter', status: 'active' })).sort((a, b) => a.name.localeCompare(b.name))
    )
    expect(JSON.stringify(page)).not.toContain(tenants[0]!.email)
  })

  it('gives moderators names only: their grants hold no plan or status', async () => {
    const page = await moderator.value('tenants.names', { search: tenants[1]!.slug })
    expect(page.rows).toEqual([{ id: tenants[1]!.id, slug: tenants[1]!.slug, name: tenants[1]!.name, plan: null, status: null }])
  })

  it('gives support only its own tenants, the same ones as its directory', async () => {
    expect((await support.value('tenants.names', { search: 'names ' })).rows.map((r: { id: string }) => r.id)).toEqual([tenants[0]!.id])
  })

  it('pages with a total that survives a page past the end', async () => {
    expect(await finance.value('tenants.names', { search: 'names ', offset: 1, limit: 1 })).toMatchObject({ total: 2, offset: 1, rows: [{ id: expect.any(String) }] })
    expect(await finance.value('tenants.names', { search: 'names ', offset: 5, limit: 1 })).toMatchObject({ rows: [], total: 2, offset: 5, source: 'server' })
  })

  it('leaves finance refused by the directory and the tenant detail', async () => {
    expect(await finance.call('tenants.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await finance.call('tenants.get', { tenantId: tenants[0]!.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('what else finance can read of a tenant', () => {
  it('the database refuses its contacts, domains, limits, credentials, sessions and conversations', async () => {
    const operator = await makeOperator(['finance'])
    const client = await operator.client()
    try {
      const tenantId = tenants[0]!.id
      expect((await client.query('select id, slug, name, plan_type, status from tenants where id = $1', [tenantId])).rowCount).toBe(1)
      for (const sql of [
        'select contact_email from tenants',
        'select website_url from tenants',
        'select settings from tenants',
        'select * from tenant_domains',
        'select * from tenant_limits',
        'select id from tenant_credentials',
        'select * from sessions',
        'select * from conversations',
        'select * from app.tenant_directory()'
      ]) {
        await expect(client.query(sql), sql).rejects.toMatchObject({ code: '42501' })
      }
    } finally {
      await client.end()
    }
  })
})
