import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import keytar from 'keytar'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/main/db/database'
import { DEMO_OPERATORS } from '../../src/main/demo/embedded'
import { createConnections, demoTarget, type Connections } from '../../src/main/profiles/connections'
import type { ActiveConnection } from '../../src/main/profiles/active-connection'
import { createProfileStore, type ProfileStore } from '../../src/main/profiles/profile-store'
import { createKeychainStore, secretAccounts } from '../../src/main/secrets/secret-store'
import { openSettingsStore } from '../../src/main/settings/store'
import { startFakePasswordServer, type FakePasswordServer } from '../helpers/fake-password-server'

/**
 * A saved profile's password lives in the keychain. It must reach only the server and user it was
 * saved for, and never in clear text to a server whose certificate was not checked. The fake
 * servers ask for it and record what arrives; the password is a unique canary.
 */
describe('a stored password goes only where it was saved for', () => {
  const canary = `Cnry${randomBytes(12).toString('hex')}`
  const service = `avc-stored-pw-${randomBytes(4).toString('hex')}`
  const secrets = createKeychainStore(service)
  const user = 'ana_support'
  let dataDir: string
  let profiles: ProfileStore
  let connections: Connections
  const fakes: FakePasswordServer[] = []

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'avc-stored-pw-'))
    const settings = openSettingsStore(dataDir)
    profiles = createProfileStore(settings, secrets)
    connections = createConnections({
      profiles,
      settings,
      secrets,
      env: null,
      active: () => ({ target: demoTarget('admin') }) as ActiveConnection,
      demo: () => ({ port: null, database: 'avia', operators: DEMO_OPERATORS, logins: null })
    })
  })
  afterEach(async () => {
    for (const fake of fakes.splice(0)) await fake.close()
  })
  afterAll(async () => {
    for (const { account } of await keytar.findCredentials(service)) await secrets.delete(account)
    await rm(dataDir, { recursive: true, force: true })
  })

  async function fake(request: 'cleartext' | 'md5') {
    const server = await startFakePasswordServer(request)
    fakes.push(server)
    return server
  }
  const saveProfile = (port: number, sslMode: 'disable' | 'prefer' = 'disable') =>
    connections.save({ name: `p-${port}`, host: '127.0.0.1', port, database: 'avia', user, sslMode, password: canary })
  const arrived = (server: FakePasswordServer) => Buffer.concat(server.received()).toString('latin1')

  it('the same server and user: the stored password is used (as the MD5 answer it asked for)', async () => {
    const server = await fake('md5')
    const saved = await saveProfile(server.port)
    await expect(connections.test({ id: saved.id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    await expect(connections.test({ id: saved.id, host: '127.0.0.1', port: server.port, database: 'avia', user, sslMode: 'disable' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    expect(server.received()).toHaveLength(2)
    for (const bytes of server.received()) expect(bytes.toString('latin1')).toContain(server.md5Answer(user, canary))
  })

  it('testing a saved profile changed to another host, port, database or user sends nothing of the stored password', async () => {
    const home = await fake('md5')
    const saved = await saveProfile(home.port)
    const elsewhere = await fake('md5')
    const changes = [
      { host: 'localhost', port: elsewhere.port, database: 'avia', user }, // another host (same machine, other name)
      { host: '127.0.0.1', port: elsewhere.port, database: 'avia', user }, // another port
      { host: '127.0.0.1', port: elsewhere.port, database: 'other', user },
      { host: '127.0.0.1', port: elsewhere.port, database: 'avia', user: 'someone_else' }
    ]
    for (const change of changes) {
      const error = await connections.test({ id: saved.id, ...change, sslMode: 'disable' }).catch((e: unknown) => e)
      expect(error, JSON.stringify(change)).toMatchObject({ code: 'UNAUTHORIZED' })
    }
    expect(arrived(elsewhere)).not.toContain(canary)
    for (const u of [user, 'someone_else']) expect(arrived(elsewhere)).not.toContain(elsewhere.md5Answer(u, canary))
    expect(home.received()).toHaveLength(0)
  })

  it('saving a profile with another server or user and no password is refused and changes nothing', async () => {
    const saved = await saveProfile(5999)
    const edit = { id: saved.id, name: saved.name, host: 'db.elsewhere.example', port: 5999, database: 'avia', user, sslMode: 'disable' as const }
    await expect(connections.save(edit)).rejects.toMatchObject({ code: 'BAD_INPUT', issues: [{ path: 'password' }] })
    expect(profiles.get(saved.id).host).toBe('127.0.0.1')
    expect(await secrets.get(secretAccounts.profilePassword(saved.id))).toBe(canary)
    // Renaming keeps the stored password; a new server comes with its own password.
    await connections.save({ ...edit, host: '127.0.0.1', name: 'renamed' })
    await connections.save({ ...edit, password: 'the-new-one' })
    expect(profiles.get(saved.id)).toMatchObject({ name: saved.name, host: 'db.elsewhere.example' })
    expect(await secrets.get(secretAccounts.profilePassword(saved.id))).toBe('the-new-one')
  })

  for (const sslMode of ['disable', 'prefer'] as const) {
    it(`SSL mode ${sslMode}: a clear-text password request is refused, by the test and by the pool`, async () => {
      const server = await fake('cleartext')
      const saved = await saveProfile(server.port, sslMode)
      const error = await connections.test({ id: saved.id }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'INVALID', message: expect.stringMatching(/clear text/) })
      expect(String((error as Error).message)).not.toContain(canary)

      const db = createDatabase(await profiles.connectionConfig(saved.id), { connectTimeoutMs: 3000 })
      await expect(db.withPlatform((client) => client.query('select 1'))).rejects.toBeTruthy()
      await db.close()

      expect(server.received().length).toBeGreaterThanOrEqual(2)
      expect(arrived(server)).not.toContain(canary)
    })
  }
})
