import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProgressEvent, ServerEvent } from '../../src/shared/events'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { createBackend, type BackendHandle } from '../../src/main/backend'
import { DEMO_OPERATOR } from '../../src/main/demo/embedded'
import { createKeychainStore, secretAccounts } from '../../src/main/secrets/secret-store'
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
    for (const account of [secretAccounts.demoOperatorPassword, secretAccounts.demoSuperuserPassword]) await secrets.delete(account)
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

  it('keeps both demo passwords in the keychain and nowhere in the data directory', async () => {
    const operatorPassword = await secrets.get(secretAccounts.demoOperatorPassword)
    const superuserPassword = await secrets.get(secretAccounts.demoSuperuserPassword)
    expect(operatorPassword).toMatch(/^[\w-]{32}$/)
    expect(superuserPassword).toMatch(/^[\w-]{32}$/)
    expect(await filesContaining(dataDir, operatorPassword!)).toEqual([])
    expect(await filesContaining(dataDir, superuserPassword!)).toEqual([])
  })
})
