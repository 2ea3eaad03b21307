import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ServerEvent } from '../../src/shared/events'
import type { RpcResult } from '../../src/shared/rpc/errors'
import { createBackend, type BackendHandle } from '../../src/main/backend'
import { assignTenant, createOperator } from '../../src/main/db/operators'
import { freeLoopbackPort } from '../../src/main/demo/free-port'
import { createDispatcher, type Dispatch } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import { createKeychainStore, secretAccounts } from '../../src/main/secrets/secret-store'
import { testDb, uniqueRoleName, withAdmin } from '../helpers/db'
import { filesContaining } from './scan'

/**
 * A planted database password (unique, random) goes in through DATABASE_URL and connections.save,
 * then every RPC the connections screen uses runs, error paths included. The password must reach
 * the keychain and the database, and nothing else: no RPC response, event, log line, settings file
 * or file in the data directory.
 */
describe('canary: a database password never leaves the keychain', () => {
  const canary = `Cnry${randomBytes(16).toString('hex')}`
  const service = `avc-canary-${randomBytes(4).toString('hex')}`
  const secrets = createKeychainStore(service)
  const responses: { name: string; result: RpcResult<unknown> }[] = []
  const events: ServerEvent[] = []
  const logs: string[] = []
  let operator: string
  let dataDir: string
  let handle: BackendHandle
  let call: (name: string, input: unknown) => Promise<RpcResult<unknown>>
  let savedId: string

  beforeAll(async () => {
    const db = testDb()
    operator = uniqueRoleName('canary')
    await withAdmin(async (admin) => {
      await createOperator(admin, { name: operator, groups: ['admin'], password: canary })
      await assignTenant(admin, operator, null)
    })
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')))
    }
    dataDir = await mkdtemp(path.join(tmpdir(), 'avc-canary-'))
    handle = await createBackend({
      dataDir,
      databaseUrl: `postgres://${operator}:${canary}@${db.host}:${db.port}/${db.database}?sslmode=disable`,
      onEvent: (event) => events.push(event),
      secrets,
      log: (line) => logs.push(line)
    })
    const dispatch: Dispatch = createDispatcher(handlers, () => ({ backend: handle.backend, emit: (e) => events.push(e) }), {
      logInternal: (procedure, detail) => logs.push(`${procedure}: ${detail}`)
    })
    call = async (name, input) => {
      const result = await dispatch(name, input)
      responses.push({ name, result })
      return result
    }
  })

  afterAll(async () => {
    await handle?.close()
    vi.restoreAllMocks()
    for (const { account } of await import('keytar').then((k) => k.default.findCredentials(service))) await secrets.delete(account)
    await rm(dataDir, { recursive: true, force: true })
  })

  const draft = () => {
    const db = testDb()
    return { host: db.host, port: db.port, database: db.database, user: operator, sslMode: 'disable' as const }
  }
  const value = <T>(result: RpcResult<unknown>) => {
    if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`)
    return result.value as T
  }
  const errorCode = (result: RpcResult<unknown>) => (result.ok ? 'ok' : result.error.code)

  it('connects through DATABASE_URL as the operator the URL names', async () => {
    const status = await handle.ready
    expect(status).toMatchObject({ state: 'online', profileId: 'env', demo: false, operator })
    expect(status.groups).toContain('admin')
    expect(value(await call('system.status', {}))).toMatchObject({ state: 'online', operator })
  })

  it('lists DATABASE_URL without its password', async () => {
    const { connections } = value<{ connections: { id: string; hasPassword: boolean; active: boolean }[] }>(await call('connections.list', {}))
    expect(connections.find((c) => c.id === 'env')).toMatchObject({ hasPassword: true, active: true })
  })

  it('saves a profile: its password goes to the keychain only', async () => {
    const saved = value<{ id: string; hasPassword: boolean }>(await call('connections.save', { ...draft(), name: 'Canary profile', password: canary }))
    savedId = saved.id
    expect(saved.hasPassword).toBe(true)
    expect(await secrets.get(secretAccounts.profilePassword(savedId))).toBe(canary)
  })

  it('tests saved and draft connections, and reports failures as typed errors', async () => {
    expect(value(await call('connections.test', { id: 'env' }))).toMatchObject({ sessionUser: operator })
    expect(value(await call('connections.test', { id: savedId }))).toMatchObject({ sessionUser: operator })
    expect(value(await call('connections.test', { ...draft(), id: savedId }))).toMatchObject({ sessionUser: operator })
    expect(errorCode(await call('connections.test', { ...draft(), database: 'no_such_database_here', password: canary }))).toBe('NOT_FOUND')
    const closedPort = await freeLoopbackPort()
    expect(errorCode(await call('connections.test', { ...draft(), host: '127.0.0.1', port: closedPort, password: canary }))).toBe('OFFLINE')
  })

  it('refuses malformed input carrying the password without echoing it', async () => {
    expect(errorCode(await call('connections.save', { ...draft(), name: 'Bad', port: 70000, password: canary }))).toBe('BAD_INPUT')
    expect(errorCode(await call('connections.save', { ...draft(), name: 'Bad', host: `u:${canary}@db`, password: canary }))).toBe('BAD_INPUT')
    expect(errorCode(await call('connections.save', { ...draft(), name: 'Bad', passwd: canary }))).toBe('BAD_INPUT')
    expect(errorCode(await call('connections.test', { ...draft(), password: canary, extra: canary }))).toBe('BAD_INPUT')
  })

  it('switches to the saved profile and back, then removes the profile and its keychain entry', async () => {
    expect(value(await call('connections.activate', { id: savedId }))).toMatchObject({ state: 'online', profileId: savedId, operator })
    expect(errorCode(await call('connections.remove', { id: savedId }))).toBe('CONFLICT')
    expect(value(await call('connections.activate', { id: 'env' }))).toMatchObject({ state: 'online', profileId: 'env' })
    value(await call('settings.update', { theme: 'dark' }))
    value(await call('settings.get', {}))
    value(await call('system.status', {}))
    expect(value(await call('connections.remove', { id: savedId }))).toEqual({ id: savedId })
    expect(await secrets.get(secretAccounts.profilePassword(savedId))).toBeNull()
  })

  it('appears in no RPC response, event or log line', () => {
    expect(responses.length).toBeGreaterThan(15)
    const leaks = responses.filter(({ result }) => JSON.stringify(result).includes(canary)).map(({ name }) => name)
    expect(leaks).toEqual([])
    expect(JSON.stringify(events)).not.toContain(canary)
    expect(logs.filter((line) => line.includes(canary))).toEqual([])
  })

  it('appears in no file of the data directory, the settings file included', async () => {
    await handle.close()
    const settingsFile = await readFile(path.join(dataDir, 'settings.json'), 'utf8')
    expect(JSON.parse(settingsFile).theme).toBe('dark') // the file the RPCs above wrote
    expect(settingsFile).not.toContain(canary)
    expect(await filesContaining(dataDir, canary)).toEqual([])
  })
})
