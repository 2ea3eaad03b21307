import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecutionRow } from '../../src/shared/rpc/areas/executions'
import { makeOperator, makeTenants, withAdmin, type TestOperator } from '../helpers/db'
import { fillScreensData, operatorUrl, startScreensConsole, syncCache, type ScreensConsole } from './fixture'

/**
 * Two operators use DATABASE_URL on one data directory (one laptop account, two logins). Each
 * login's offline cache holds what row-level security let that role read; the other login must
 * never be shown it, offline included.
 */
describe('the offline cache belongs to a login (server, database, role)', () => {
  let dir: string
  let tenants: string[]
  let ana: TestOperator
  let bruno: TestOperator
  const running: ScreensConsole[] = []

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'avc-cache-identity-'))
    tenants = (await makeTenants(2, 'identity')).map((t) => t.id)
    await withAdmin((admin) => fillScreensData(admin, tenants, 60))
    ana = await makeOperator(['support'], [tenants[0]!], 'ana')
    bruno = await makeOperator(['support'], [tenants[1]!], 'bruno')
  })
  afterAll(async () => {
    for (const app of running) await app.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function open(url: string): Promise<ScreensConsole> {
    const app = await startScreensConsole(url, dir)
    running.push(app)
    return app
  }
  const close = async (app: ScreensConsole) => {
    running.splice(running.indexOf(app), 1)
    await app.close()
  }
  /** The same login, unable to connect (no verified TLS on the test server): it reads its cache. */
  const offlineUrl = (operator: TestOperator) => operatorUrl(operator).replace('sslmode=disable', 'sslmode=verify-full')
  const cachedTenants = async (app: ScreensConsole) => {
    const result = await app.call('executions.list', { source: 'cache', limit: 500 })
    return result.ok ? [...new Set((result.value as { rows: ExecutionRow[] }).rows.map((r) => r.tenantId))] : []
  }

  it('another login, offline, sees nothing of the first login\'s cache', async () => {
    const first = await open(operatorUrl(ana))
    await syncCache(first)
    expect(await cachedTenants(first)).toEqual([tenants[0]])
    await close(first)

    const other = await open(offlineUrl(bruno))
    expect(other.handle.backend.status().state).toBe('offline')
    expect(await other.ok('sync.status', {})).toMatchObject({ exists: false, rows: { executions: 0, auditLogs: 0 } })
    expect(await cachedTenants(other)).toEqual([])
    const everything = JSON.stringify(await Promise.all(['executions.list', 'audit.list'].map((name) => other.call(name, { limit: 500 }))))
    expect(everything).not.toContain(tenants[0])
    await close(other)
  }, 240_000)

  it('each login syncs into its own file, and finds its own rows again', async () => {
    const second = await open(operatorUrl(bruno))
    await syncCache(second)
    expect(await cachedTenants(second)).toEqual([tenants[1]])
    await close(second)
    expect((await readdir(path.join(dir, 'cache'))).filter((f) => f.endsWith('.sqlite'))).toHaveLength(2)

    const back = await open(offlineUrl(ana))
    expect(await cachedTenants(back)).toEqual([tenants[0]])
    await close(back)
  }, 240_000)
})
