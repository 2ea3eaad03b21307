import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createBackend, type BackendHandle } from '../../src/main/backend'
import { migrate } from '../../src/main/db/migrate'
import { assignTenant, createOperator } from '../../src/main/db/operators'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import { createKeychainStore } from '../../src/main/secrets/secret-store'
import type { ServerEvent } from '../../src/shared/events'
import type { RpcResult } from '../../src/shared/rpc/errors'
import { filesContaining } from '../canary/scan'
import { startEmbeddedServer, type EmbeddedServer } from '../helpers/embedded-pg'
import { createRuntimeVerifier } from './runtime-verifier'

/**
 * New secrets are generated, shown once in the roll's reply, and must reach nothing else: no later
 * RPC reply, event or log line, no file of the data directory (SQLite cache, settings), no audit row,
 * and not the PostgreSQL statement log, here an embedded server of its own with log_statement = all
 * (which logs every statement with its parameters). Only the verifier and the sealed forms travel,
 * and the log shows they do.
 */
describe('canary: a new credential secret is shown once and reaches nothing else', () => {
  const serverLog: string[] = []
  const logs: string[] = []
  const events: ServerEvent[] = []
  const replies: { name: string; result: RpcResult<unknown> }[] = []
  const service = `avc-cred-canary-${randomBytes(4).toString('hex')}`
  const secrets = createKeychainStore(service)
  const password = randomBytes(18).toString('base64url')
  let server: EmbeddedServer
  let dataDir: string
  let handle: BackendHandle
  let admin: pg.Client
  let call: (name: string, input: unknown) => Promise<RpcResult<unknown>>
  let tenantId: string
  const credentialIds: Record<'client_secret' | 'webhook_secret', string> = { client_secret: '', webhook_secret: '' }
  const shown: string[] = []
  let rollReplies = 0

  beforeAll(async () => {
    server = await startEmbeddedServer({ settings: [['log_statement', 'all']], onLog: (line) => serverLog.push(line) })
    const config = { host: server.host, port: server.port, database: 'postgres', user: server.adminUser, password: server.adminPassword, sslMode: 'disable' as const }
    await migrate(config, { rolePrefix: 'canary' })
    admin = new pg.Client({ host: server.host, port: server.port, database: 'postgres', user: server.adminUser, password: server.adminPassword })
    await admin.connect()
    await createOperator(admin, { name: 'canary_rotator', groups: ['admin'], password })
    await assignTenant(admin, 'canary_rotator', null)
    tenantId = (await admin.query<{ id: string }>(`insert into tenants (slug, name) values ('canary-co', 'Canary Co') returning id`)).rows[0]!.id
    for (const kind of ['client_secret', 'webhook_secret'] as const) {
      const id = (await admin.query<{ id: string }>(
        `insert into tenant_credentials (tenant_id, label, client_id, kind, expires_at) values ($1, $2::text, $3, $2::text, now() + interval '3 days') returning id`,
        [tenantId, kind, `canary-${kind}`]
      )).rows[0]!.id
      await admin.query(`insert into credential_versions (tenant_id, credential_id, version, state, activated_at) values ($1, $2, 1, 'active', now() - interval '80 days')`, [tenantId, id])
      credentialIds[kind] = id
    }
    const runtime = await createRuntimeVerifier('canary-runtime-key')
    await admin.query('select app.register_runtime_key($1, $2, $3)', [runtime.keyId, runtime.algorithm, runtime.publicKey])
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')))
    }
    dataDir = await mkdtemp(path.join(tmpdir(), 'avc-cred-canary-'))
    handle = await createBackend({
      dataDir,
      databaseUrl: `postgres://canary_rotator:${password}@${server.host}:${server.port}/postgres?sslmode=disable`,
      onEvent: (event) => events.push(event),
      secrets,
      log: (line) => logs.push(line)
    })
    const dispatch = createDispatcher(handlers, () => ({ backend: handle.backend, emit: (e) => events.push(e) }), {
      logInternal: (procedure, detail) => logs.push(`${procedure}: ${detail}`)
    })
    call = async (name, input) => {
      const result = await dispatch(name, input)
      replies.push({ name, result })
      return result
    }
  }, 180_000)

  afterAll(async () => {
    await handle?.close()
    await admin?.end()
    vi.restoreAllMocks()
    await server?.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  const value = <T>(result: RpcResult<unknown>) => {
    if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`)
    return result.value as T
  }

  it('rolls both kinds and shows each new secret once, in the roll reply', async () => {
    expect(await handle.ready).toMatchObject({ state: 'online', operator: 'canary_rotator' })
    for (const kind of ['client_secret', 'webhook_secret'] as const) {
      const rolled = value<{ secret: string }>(await call('credentials.roll', { tenantId, credentialId: credentialIds[kind], seenVersion: 1, grace: '24h' }))
      expect(rolled.secret).toMatch(/^avia_(sk|whsec)_[0-9A-Za-z]{43}$/)
      shown.push(rolled.secret)
    }
    rollReplies = replies.length
  })

  it('works every screen afterwards, the sync and an export included', async () => {
    value(await call('credentials.list', {}))
    value(await call('credentials.counts', {}))
    for (const id of Object.values(credentialIds)) {
      value(await call('credentials.get', { tenantId, credentialId: id }))
      value(await call('credentials.jwks', { tenantId, credentialId: id }))
    }
    value(await call('credentials.policies', {}))
    value(await call('sync.now', {}))
    value(await call('audit.list', { filter: { tenantId } }))
    const started = value<{ exportId: string }>(await call('credentials.export', { filter: {}, jobId: 'canary-export-1' }))
    await handle.backend.exports.settled(started.exportId)
    expect(handle.backend.exports.ready(started.exportId).bytes).toBeGreaterThan(0)
    expect(replies.length - rollReplies).toBeGreaterThanOrEqual(10)
  })

  it('appears in no later RPC reply, no event, no log line and no audit row', async () => {
    expect(shown).toHaveLength(2)
    for (const secret of shown) {
      const body = secret.replace(/^avia_(sk|whsec)_/, '')
      const later = replies.slice(rollReplies).filter(({ result }) => JSON.stringify(result).includes(body)).map(({ name }) => name)
      expect(later).toEqual([])
      expect(JSON.stringify(events)).not.toContain(body)
      expect(logs.filter((line) => line.includes(body))).toEqual([])
      // Searched here, not with LIKE in SQL: the search term would put the secret in the statement log.
      const audit = await admin.query<{ doc: string }>(`select coalesce(old_values::text, '') || coalesce(new_values::text, '') as doc from audit_logs`)
      expect(audit.rows.filter((r) => r.doc.includes(body))).toEqual([])
    }
    const rolls = await admin.query(`select count(*)::int as n from audit_logs where resource_type = 'credential_versions' and actor = 'canary_rotator'`)
    expect(rolls.rows[0].n).toBeGreaterThan(0)
  })

  it('is not in the statement log, which holds its verifier and sealed form instead', async () => {
    const stored = await admin.query<{ secret_verifier: string | null; sealed_secret: string | null }>(
      `select secret_verifier, sealed_secret from credential_versions where version = 2 order by secret_verifier nulls last`
    )
    const log = serverLog.join('\n')
    expect(log).toContain(stored.rows[0]!.secret_verifier!)
    expect(log).toContain(stored.rows[1]!.sealed_secret!)
    for (const secret of shown) expect(log).not.toContain(secret.replace(/^avia_(sk|whsec)_/, ''))
  })

  it('is in no file of the data directory: the SQLite cache and the settings included', async () => {
    await handle.close()
    const files = await filesContaining(dataDir, 'x')
    expect(files.some((f) => f.includes('cache'))).toBe(true)
    for (const secret of shown) expect(await filesContaining(dataDir, secret.replace(/^avia_(sk|whsec)_/, ''))).toEqual([])
  })
})
