import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProgressEvent, ServerEvent } from '../../src/shared/events'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { createBackend, type BackendHandle } from '../../src/main/backend'
import { cacheFilePath } from '../../src/main/cache/db'
import { DEMO_DATABASE, DEMO_OPERATOR, DEMO_OPERATORS } from '../../src/main/demo/embedded'
import { createKeychainStore, secretAccounts } from '../../src/main/secrets/secret-store'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import { OPERATOR_GROUPS } from '../../src/shared/capabilities'
import { filesContaining } from '../canary/scan'

interface Start {
  status: ConnectionStatus
  ms: number
  events: ServerEvent[]
  tenants: number
  serverStartedAt: string
}

/**
 * The default database: no profile, no DATABASE_URL. The first start creates a private cluster,
 * migrates and seeds it; the second reuses everything. Each start is a full createBackend → online
 * → close cycle on the same data directory, like two launches of the console.
 */
describe('embedded demo database', () => {
  // A keychain service of its own: parallel test files must not share the demo's accounts.
  const service = `avc-demo-${randomBytes(4).toString('hex')}`
  const secrets = createKeychainStore(service)
  let dataDir: string
  let cold: Start
  let warm: Start

  async function start(): Promise<Start> {
    const events: ServerEvent[] = []
    const started = performance.now()
    const handle: BackendHandle = await createBackend({ dataDir, onEvent: (e) => events.push(e), secrets, log: () => {} })
    try {
      const status = await handle.ready
      const ms = performance.now() - started
      const db = handle.backend.db
      if (!db) throw new Error(`demo not online: ${status.message}`)
      const tenants = await db.withPlatform(async (c) => Number((await c.query<{ n: string }>('select count(*) as n from tenants')).rows[0]!.n))
      const serverStartedAt = await db
        .withPlatform((c) => c.query<{ at: string }>(`select pg_postmaster_start_time()::text as at`))
        .then((r) => r.rows[0]!.at)
      return { status, ms, events, tenants, serverStartedAt }
    } finally {
      await handle.close()
    }
  }
  const startup = (events: ServerEvent[]) => events.filter((e): e is ProgressEvent => e.type === 'progress' && e.kind === 'startup')
  const labels = (events: ServerEvent[]) => startup(events).map((e) => e.label)

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'avc-demo-'))
    cold = await start()
    warm = await start()
  }, 600_000)
  afterAll(async () => {
    const operatorAccounts = Object.values(DEMO_OPERATORS).map((operator) => secretAccounts.demoOperatorPassword(operator))
    for (const account of [...operatorAccounts, secretAccounts.demoSuperuserPassword]) await secrets.delete(account)
    await rm(dataDir, { recursive: true, force: true })
  })

  it('first start: creates, migrates and seeds the database and signs in as the demo operator', () => {
    expect(cold.status).toMatchObject({ state: 'online', profileId: 'demo', demo: true, operator: DEMO_OPERATOR })
    expect(cold.status.groups).toContain('admin')
    expect(cold.tenants).toBeGreaterThan(0)
    const seen = labels(cold.events)
    expect(seen).toContain('Creating the demo database')
    expect(seen).toContain('Applying migrations')
    expect(seen.some((l) => l.startsWith('Loading demo data'))).toBe(true)
    expect(startup(cold.events).at(-1)).toMatchObject({ label: 'Ready', finished: true })
    const states = cold.events.flatMap((e) => (e.type === 'status' ? [e.state] : []))
    expect(states[0]).toBe('connecting')
    expect(states.at(-1)).toBe('online')
    expect(states).not.toContain('offline')
  })

  it('second start: reuses the cluster and the data (no init, no seed), faster, same operator', () => {
    expect(warm.status).toMatchObject({ state: 'online', demo: true, operator: DEMO_OPERATOR })
    const seen = labels(warm.events)
    expect(seen).not.toContain('Creating the demo database')
    expect(seen.some((l) => l.startsWith('Loading demo data'))).toBe(false)
    expect(warm.tenants).toBe(cold.tenants)
    expect(warm.serverStartedAt).not.toBe(cold.serverStartedAt) // a new server process on the same files
    expect(warm.ms).toBeLessThan(cold.ms)
  })

  it('keeps every demo password (one per operator, all different) in the keychain and nowhere in the data directory', async () => {
    const operatorPasswords = await Promise.all(Object.values(DEMO_OPERATORS).map((operator) => secrets.get(secretAccounts.demoOperatorPassword(operator))))
    const superuserPassword = await secrets.get(secretAccounts.demoSuperuserPassword)
    const all = [...operatorPasswords, superuserPassword]
    expect(all).toHaveLength(5)
    expect(new Set(all).size).toBe(5)
    for (const password of all) {
      expect(password).toMatch(/^[\w-]{32}$/)
      expect(await filesContaining(dataDir, password!)).toEqual([])
    }
  })

  describe('the demo-only operator switch', () => {
    const switchEvents: ServerEvent[] = []
    let handle: BackendHandle
    let call: (name: string, input: unknown) => Promise<{ ok: true; value: any } | { ok: false; error: { code: string; message: string } }>
    const value = async (name: string, input: unknown) => {
      const result = await call(name, input)
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
      return result.value
    }

    beforeAll(async () => {
      handle = await createBackend({ dataDir, onEvent: (event) => switchEvents.push(event), secrets, log: () => {} })
      await handle.ready
      const dispatch = createDispatcher(handlers, () => ({ backend: handle.backend, emit: () => {} }), { logInternal: () => {} })
      call = dispatch as typeof call
    }, 120_000)
    afterAll(() => handle?.close())

    it('lists one operator per group, the admin signed in', async () => {
      const { operators } = await value('connections.demoOperators', {})
      expect(operators).toEqual(OPERATOR_GROUPS.map((group) => ({ group, operator: DEMO_OPERATORS[group], signedIn: group === 'admin' })))
    })

    it('signs in as the support operator: its assigned tenants, its own offline cache', async () => {
      // The admin's sync is under way when the switch happens: "Sync now" must then run the support operator's.
      const adminSync = call('sync.now', {})
      const status = await value('connections.signInDemoAs', { group: 'support' })
      // The switch restarts the demo server: its progress bar ends too, not only the first start's.
      const bars = startup(switchEvents)
      expect(bars.some((event) => event.label === 'Signing in as the demo operator')).toBe(true)
      expect(bars.at(-1)).toMatchObject({ label: 'Ready', finished: true })
      expect(status).toMatchObject({ state: 'online', demo: true, profileId: 'demo', operator: DEMO_OPERATORS.support, groups: ['support'] })
      const directory = await value('tenants.list', {})
      expect(directory.total).toBeGreaterThan(0)
      expect(directory.total).toBeLessThan(cold.tenants)
      expect((await value('connections.list', {})).connections[0]).toMatchObject({ id: 'demo', user: DEMO_OPERATORS.support, hasPassword: true })
      expect((await value('connections.demoOperators', {})).operators.find((o: { signedIn: boolean }) => o.signedIn).group).toBe('support')
      const supportCache = cacheFilePath(dataDir, { server: 'embedded-demo', database: DEMO_DATABASE, role: DEMO_OPERATORS.support })
      expect(existsSync(supportCache)).toBe(false)
      expect((await value('sync.now', {})).tenants).toBe(directory.total)
      await adminSync
      expect((await value('sync.status', {})).profileId).toBe('demo')
      expect(existsSync(supportCache)).toBe(true)
    })

    it('signs in as finance: names and plans of every tenant, no directory, and an offline sync of their billing', async () => {
      expect(await value('connections.signInDemoAs', { group: 'finance' })).toMatchObject({ operator: DEMO_OPERATORS.finance, groups: ['finance'] })
      const names = await value('tenants.names', {})
      expect(names.total).toBe(cold.tenants)
      for (const row of names.rows) {
        expect(Object.keys(row).sort()).toEqual(['id', 'name', 'plan', 'slug', 'status'])
        expect(row.plan).toEqual(expect.any(String))
        expect(row.status).toEqual(expect.any(String))
      }
      expect(await call('tenants.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      const synced = await value('sync.now', {})
      expect(synced.tenants).toBe(cold.tenants)
      expect(synced.rows).toBeGreaterThan(0)
      const cache = await value('sync.status', {})
      expect(cache).toMatchObject({ profileId: 'demo', exists: true, rows: { executions: 0, auditLogs: 0 } })
      expect(cache.rows.usageRecords).toBeGreaterThan(0)
    })

    it('signs in as the moderator: tenant names only, as its grants allow', async () => {
      expect(await value('connections.signInDemoAs', { group: 'moderator' })).toMatchObject({ operator: DEMO_OPERATORS.moderator, groups: ['moderator'] })
      const names = await value('tenants.names', { search: '', limit: 5 })
      expect(names.total).toBe(cold.tenants)
      expect(names.rows[0]).toMatchObject({ plan: null, status: null })
    })

    it('goes back to the admin and its own cache file', async () => {
      expect(await value('connections.signInDemoAs', { group: 'admin' })).toMatchObject({ operator: DEMO_OPERATOR, groups: ['admin'] })
      expect((await value('sync.status', {})).profileId).toBe('demo')
      expect((await value('tenants.list', {})).total).toBe(cold.tenants)
    })

    it('refuses an unknown group without changing who is signed in', async () => {
      expect(await call('connections.signInDemoAs', { group: 'root' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
      expect(handle.backend.status()).toMatchObject({ state: 'online', operator: DEMO_OPERATOR })
    })
  })
})
