import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionChange } from '../../src/main/profiles/active-connection'
import { createBackend, type BackendHandle } from '../../src/main/backend'
import { createKeychainStore } from '../../src/main/secrets/secret-store'
import { makeOperator, testDb, withAdmin, type TestOperator } from '../helpers/db'

/** Switching saved profiles: one live pool at a time, even when switches overlap. */
describe('switching between saved connections', () => {
  const service = `avc-switch-${randomBytes(4).toString('hex')}`
  const changes: ConnectionChange[] = []
  let dataDir: string
  let handle: BackendHandle
  let admin: TestOperator
  let support: TestOperator
  let adminProfile: string
  let supportProfile: string

  const sessionsOf = (role: string) =>
    withAdmin(async (c) => Number((await c.query<{ n: string }>('select count(*) as n from pg_stat_activity where usename = $1', [role])).rows[0]!.n))

  beforeAll(async () => {
    admin = await makeOperator(['admin'], [null])
    support = await makeOperator(['support'])
    dataDir = await mkdtemp(path.join(tmpdir(), 'avc-switch-'))
    const db = testDb()
    // Started on a DATABASE_URL that does not answer, so no demo database is created for this test.
    handle = await createBackend({
      dataDir,
      databaseUrl: `postgres://nobody@127.0.0.1:1/${db.database}?sslmode=disable`,
      onEvent: () => {},
      secrets: createKeychainStore(service),
      log: () => {}
    })
    await handle.ready
    handle.backend.onConnectionChange((change) => changes.push(change))
    const save = (name: string, op: TestOperator) =>
      handle.backend.connections.save({ name, host: db.host, port: db.port, database: db.database, user: op.name, sslMode: 'disable', password: op.password })
    adminProfile = (await save('Admin', admin)).id
    supportProfile = (await save('Support', support)).id
  })
  afterAll(async () => {
    await handle?.close()
    for (const id of [adminProfile, supportProfile]) if (id) await createKeychainStore(service).delete(`profile:${id}:password`)
    await rm(dataDir, { recursive: true, force: true })
  })

  it('connects as the operator of the activated profile, with its groups, and remembers it for the next start', async () => {
    const status = await handle.backend.connections.activate(adminProfile)
    expect(status).toMatchObject({ state: 'online', profileId: adminProfile, profileName: 'Admin', operator: admin.name, groups: ['admin'] })
    expect(handle.backend.settings.activeProfileId()).toBe(adminProfile)
    const online = changes.at(-1)!
    expect(online).toMatchObject({ state: 'online', target: { id: adminProfile, kind: 'profile' } })
    expect(online.config).toMatchObject({ user: admin.name, password: admin.password })
    expect(await sessionsOf(admin.name)).toBeGreaterThan(0)
  })

  it('closes the previous pool when switching', async () => {
    const status = await handle.backend.connections.activate(supportProfile)
    expect(status).toMatchObject({ state: 'online', operator: support.name, groups: ['support'] })
    expect(await sessionsOf(admin.name)).toBe(0)
    const rows = await handle.backend.db!.withPlatform((c) => c.query<{ who: string }>('select session_user::text as who'))
    expect(rows.rows[0]!.who).toBe(support.name)
  })

  it('keeps only the last of overlapping switches, and leaves no pool of the others behind', async () => {
    const first = handle.backend.connections.activate(adminProfile)
    const last = await handle.backend.connections.activate(supportProfile)
    await first
    expect(last).toMatchObject({ state: 'online', operator: support.name })
    expect(handle.backend.status()).toMatchObject({ state: 'online', profileId: supportProfile, operator: support.name })
    expect(await sessionsOf(admin.name)).toBe(0)
  })

  it('refuses the demo operator switch on a saved connection, and stays signed in as before', async () => {
    await expect(handle.backend.connections.signInDemoAs('admin')).rejects.toMatchObject({ code: 'INVALID' })
    expect(handle.backend.status()).toMatchObject({ state: 'online', profileId: supportProfile, operator: support.name })
  })

  it('refuses to remove the connection in use, and removes another one with its keychain entry', async () => {
    await expect(handle.backend.connections.remove(supportProfile)).rejects.toMatchObject({ code: 'CONFLICT' })
    await handle.backend.connections.remove(adminProfile)
    expect(handle.backend.settings.profiles().map((p) => p.id)).toEqual([supportProfile])
    expect(await createKeychainStore(service).get(`profile:${adminProfile}:password`)).toBeNull()
    await expect(handle.backend.connections.activate(adminProfile)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
