import { describe, expect, it } from 'vitest'
import type { Backend } from '../../src/main/backend-types'
import type { Database } from '../../src/main/db/types'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'

const TENANT = '00000000-0000-4000-8000-0000000000aa'
const LIMITS = { agentUsageLimit: 10, requestsPerMinute: 1, requestsPerHour: 60, storageLimitMb: 5 }

/** A backend whose database only counts how often a handler reached for it. */
function backendAs(groups: string[], state: ConnectionStatus['state'] = 'online') {
  const touched: string[] = []
  const db = {
    withTenant: async () => void touched.push('withTenant'),
    withPlatform: async () => void touched.push('withPlatform'),
    close: async () => {}
  } as unknown as Database
  const status: ConnectionStatus = { state, profileId: 'p', profileName: 'p', demo: false, lastSyncAt: null, operator: 'someone', groups }
  const backend = { db: state === 'online' ? db : null, status: () => status } as Pick<Backend, 'db' | 'status'> as Backend
  const call = createDispatcher(handlers, () => ({ backend, emit: () => {} }), { logInternal: () => {} })
  return { call, touched }
}

describe('the handlers’ capability gate', () => {
  it('refuses what the groups do not allow before touching the database', async () => {
    const { call, touched } = backendAs(['support'])
    expect(await call('tenants.updateLimits', { tenantId: TENANT, limits: LIMITS })).toMatchObject({
      ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('requiresAdmin') }
    })
    expect(await call('tenants.setStatus', { tenantId: TENANT, status: 'suspended', reason: 'A long enough reason' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const finance = backendAs(['finance'])
    expect(await finance.call('tenants.get', { tenantId: TENANT })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await finance.call('tenants.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('requiresSupportOrAdmin') } })
    expect([...touched, ...finance.touched]).toEqual([])
  })

  it('refuses the executions and the audit log to finance and moderators, whatever the source', async () => {
    for (const groups of [['finance'], ['moderator']]) {
      const { call, touched } = backendAs(groups)
      for (const [procedure, reason] of [['executions.list', 'area.executions'], ['audit.list', 'area.audit']]) {
        for (const source of ['server', 'cache']) {
          expect(await call(procedure!, { limit: 5, source }), `${groups} ${procedure} ${source}`).toMatchObject({
            ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(reason!) }
          })
        }
      }
      expect(touched).toEqual([])
    }
  })

  it('tells a role in no console group that this is why, even for what every group may do', async () => {
    const { call, touched } = backendAs([])
    expect(await call('tenants.names', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('requiresAnyGroup') } })
    expect(touched).toEqual([])
  })

  it('lets an allowed group through to the database', async () => {
    const { call, touched } = backendAs(['moderator', 'admin'])
    await call('tenants.updateLimits', { tenantId: TENANT, limits: LIMITS })
    expect(touched).toEqual(['withTenant'])
  })

  it('stays out of the way while offline: the answer is OFFLINE, not a guess from unknown groups', async () => {
    const { call } = backendAs([], 'offline')
    expect(await call('tenants.updateLimits', { tenantId: TENANT, limits: LIMITS })).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
  })
})
