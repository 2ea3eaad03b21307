import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecutionDetail, ExecutionRow } from '../../src/shared/rpc/areas/executions'
import type { AuditDetail, AuditRow, ChainVerification } from '../../src/shared/rpc/areas/audit'
import { cacheFilePath, cacheIdentity, openCacheForWriting } from '../../src/main/cache/db'
import { MAX_TENANT_FAN_OUT } from '../../src/main/reads/across-tenants'
import { makeOperator, makeTenants, withAdmin, type TestOperator } from '../helpers/db'
import { allPages, fillScreensData, operatorUrl, startScreensConsole, startSyncedConsoles, syncCache, type ScreensConsole, type SyncedConsoles } from './fixture'

const PER_TENANT = 240
let tenants: string[]
let operator: TestOperator
let online: ScreensConsole
let offline: ScreensConsole
let consoles: SyncedConsoles

beforeAll(async () => {
  tenants = (await makeTenants(3, 'screens')).map((t) => t.id)
  await withAdmin((admin) => fillScreensData(admin, tenants, PER_TENANT))
  // Sees the first two tenants only: the third must never appear, online or offline.
  operator = await makeOperator(['support'], tenants.slice(0, 2))
  consoles = await startSyncedConsoles(operator)
  ;({ online, offline } = consoles)
})

afterAll(() => consoles?.close())

const visible = () => tenants.slice(0, 2)

/** A filter where each field is present about a third of the time, so combinations stay mostly non-empty. */
function sometimes<T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) {
  const entries = Object.entries(fields).map(([key, arbitrary]) =>
    fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary, weight: 1 }).map((value) => [key, value] as const)
  )
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, value]) => value !== null)))
}

describe('executions online and offline', () => {
  it('the offline console says so and answers from the cache', async () => {
    expect(offline.handle.backend.status().state).toBe('offline')
    const page = await offline.ok<{ source: string; syncedAt: string | null; rows: ExecutionRow[] }>('executions.list', { limit: 5 })
    expect(page.source).toBe('cache')
    expect(page.syncedAt).not.toBeNull()
    expect(page.rows).toHaveLength(5)
    const onlinePage = await online.ok<{ source: string; syncedAt: string | null }>('executions.list', { limit: 5 })
    expect(onlinePage).toMatchObject({ source: 'server', syncedAt: null })
  })

  it('lists every visible tenant newest first, the same rows from the server and from the cache, for any filter', async () => {
    const workflows = await online.ok<{ workflows: { id: string; name: string }[] }>('executions.workflows', { tenantId: tenants[0] })
    expect(workflows.workflows.map((w) => w.name)).toEqual(['Flow 1', 'Flow 2', 'Flow 3'])
    const cachedWorkflows = await offline.ok<{ workflows: unknown[]; source: string }>('executions.workflows', { tenantId: tenants[0] })
    expect(cachedWorkflows).toMatchObject({ source: 'cache', workflows: workflows.workflows })

    const otherWorkflows = await online.ok<{ workflows: { id: string }[] }>('executions.workflows', { tenantId: tenants[1] })
    const now = Date.now()
    const filter = sometimes({
      tenantId: fc.constantFrom(...visible()),
      workflowId: fc.constantFrom(...workflows.workflows.map((w) => w.id), ...otherWorkflows.workflows.map((w) => w.id)),
      status: fc.constantFrom('success', 'error', 'running', 'canceled', 'crashed'),
      from: fc.integer({ min: 60, max: 2000 }).map((s) => new Date(now - s * 1000).toISOString()),
      errorText: fc.constantFrom('timeout', 'stripe', 'quota exhausted', 'openai (attempt', 'ATTEMPT 1*', 'slac*', 'slac', 'calling_stripe', 'nothing-matches', '"; drop table executions; --', '*')
    })
    let compared = 0
    await fc.assert(
      fc.asyncProperty(filter, fc.integer({ min: 7, max: 200 }), async (f, limit) => {
        const server = await allPages<ExecutionRow>(online.ok, 'executions.list', { filter: f, limit, source: 'server' })
        if (server.rows.length > 0) compared++
        const cache = await allPages<ExecutionRow>(offline.ok, 'executions.list', { filter: f, limit })
        expect(new Set(server.sources)).toEqual(new Set(['server']))
        expect(new Set(cache.sources)).toEqual(new Set(['cache']))
        expect(cache.rows).toEqual(server.rows)
        for (const row of server.rows) expect(visible()).toContain(row.tenantId)
        const times = server.rows.map((r) => Date.parse(r.startedAt))
        expect(times).toEqual([...times].sort((a, b) => b - a))
      }),
      { numRuns: 40 }
    )
    // Filters are random: make sure the comparison was not vacuous.
    expect(compared).toBeGreaterThanOrEqual(5)
  })

  it('without filters holds every row of the visible tenants exactly once', async () => {
    const server = await allPages<ExecutionRow>(online.ok, 'executions.list', { limit: 97 })
    expect(server.rows).toHaveLength(PER_TENANT * 2)
    expect(new Set(server.rows.map((r) => r.id)).size).toBe(PER_TENANT * 2)
    const errors = await allPages<ExecutionRow>(online.ok, 'executions.list', { filter: { errorText: 'stripe' }, limit: 500 })
    expect(errors.rows.length).toBeGreaterThan(0)
    for (const row of errors.rows) expect(row.errorMessage).toMatch(/stripe/)
  })

  it('shows the same detail, steps in order, from either side; another tenant id finds nothing', async () => {
    const { rows } = await online.ok<{ rows: ExecutionRow[] }>('executions.list', { filter: { status: 'error', tenantId: tenants[1] }, limit: 3 })
    for (const row of rows) {
      const server = await online.ok<{ execution: ExecutionDetail; source: string }>('executions.get', { tenantId: row.tenantId, id: row.id })
      const cache = await offline.ok<{ execution: ExecutionDetail; source: string }>('executions.get', { tenantId: row.tenantId, id: row.id })
      expect(server.source).toBe('server')
      expect(cache.source).toBe('cache')
      expect(cache.execution).toEqual(server.execution)
      expect(server.execution.steps.map((s) => s.stepIndex)).toEqual([0, 1, 2])
      expect(server.execution.error).toEqual({ message: expect.any(String) })
      for (const side of [online, offline]) {
        const wrongTenant = await side.call('executions.get', { tenantId: tenants[0], id: row.id })
        expect(wrongTenant).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
      }
    }
    const hidden = await withAdmin((admin) => admin.query<{ id: string }>('select id::text from executions where tenant_id = $1 limit 1', [tenants[2]]))
    expect(await online.call('executions.get', { tenantId: tenants[2], id: hidden.rows[0]!.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('refuses a cursor of the other source and a forged one with typed errors', async () => {
    const cachePage = await offline.ok<{ nextCursor: string }>('executions.list', { limit: 10 })
    expect(await online.call('executions.list', { limit: 10, cursor: cachePage.nextCursor })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    for (const cursor of ['s|2026-01-01T00:00:00Z|x', 'c|abc', 'garbage']) {
      for (const result of [await online.call('executions.list', { cursor, source: 'server' }), await offline.call('executions.list', { cursor })]) {
        expect(result.ok).toBe(false)
        if (!result.ok) expect(['BAD_INPUT', 'CONFLICT']).toContain(result.error.code)
      }
    }
  })

  it('asks for a tenant rather than fanning out over too many, and "auto" then reads the cache', async () => {
    const many = (await makeTenants(MAX_TENANT_FAN_OUT + 1, 'fanout')).map((t) => t.id)
    const wide = await makeOperator(['support'], [...visible(), ...many])
    const wideConsole = await startScreensConsole(operatorUrl(wide))
    try {
      const refused = await wideConsole.call('executions.list', { source: 'server' })
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID', issues: [{ path: 'filter.tenantId' }] } })
      expect(await wideConsole.call('executions.list', {})).toMatchObject({ ok: false, error: { code: 'INVALID' } })
      await syncCache(wideConsole)
      expect(await wideConsole.ok('executions.list', { limit: 3 })).toMatchObject({ source: 'cache' })
      expect(await wideConsole.ok('executions.list', { limit: 3, filter: { tenantId: tenants[0] } })).toMatchObject({ source: 'server' })
    } finally {
      await wideConsole.close()
      // Assigning the wide operator wrote audit rows into the visible tenants: bring the shared cache up to date.
      await syncCache(online)
    }
  }, 400_000)
})

describe('audit log online and offline', () => {
  it('lists, searches and filters the same rows from the server and from the cache', async () => {
    let compared = 0
    const now = Date.now()
    const filter = sometimes({
      tenantId: fc.constantFrom(...visible()),
      actor: fc.constantFrom('alice', 'bob', '=SUM(A1:A9)', 'nobody'),
      action: fc.constantFrom('INSERT', 'UPDATE', 'DELETE'),
      resourceType: fc.constantFrom('tenants', 'workflows', 'tenant_credentials', 'users'),
      from: fc.integer({ min: 60, max: 2000 }).map((s) => new Date(now - s * 1000).toISOString()),
      to: fc.integer({ min: 0, max: 59 }).map((s) => new Date(now - s * 1000).toISOString()),
      text: fc.constantFrom('zirconium', 'growth', 'starter plan', 'fingerprint', 'tenant', 'tenant*', 'client_secret_encrypted', 'gro* redacted', 'zzz-nothing')
    })
    await fc.assert(
      fc.asyncProperty(filter, fc.integer({ min: 13, max: 300 }), async (f, limit) => {
        const server = await allPages<AuditRow>(online.ok, 'audit.list', { filter: f, limit, source: 'server' })
        if (server.rows.length > 0) compared++
        const cache = await allPages<AuditRow>(offline.ok, 'audit.list', { filter: f, limit })
        expect(cache.rows).toEqual(server.rows)
        expect(new Set(cache.sources)).toEqual(new Set(['cache']))
      }),
      { numRuns: 40 }
    )
    expect(compared).toBeGreaterThanOrEqual(5)
    const rare = await allPages<AuditRow>(online.ok, 'audit.list', { filter: { text: 'zirconium' }, limit: 500 })
    // g = 100 and 150 of each visible tenant carry new values with the rare word (50 and 200 have none).
    expect(rare.rows.length).toBe(4)
  })

  it('shows the same detail, secrets as their redaction marker, from either side', async () => {
    const { rows } = await online.ok<{ rows: AuditRow[] }>('audit.list', { filter: { action: 'UPDATE', tenantId: tenants[0] }, limit: 2 })
    for (const row of rows) {
      const server = await online.ok<{ entry: AuditDetail }>('audit.get', { tenantId: row.tenantId, id: row.id })
      const cache = await offline.ok<{ entry: AuditDetail }>('audit.get', { tenantId: row.tenantId, id: row.id })
      expect(cache.entry).toEqual(server.entry)
      expect(server.entry.oldValues).toMatchObject({ client_secret_encrypted: { redacted: true, fingerprint: 'a1b2c3d4e5f6' } })
      expect(server.entry.hash).toMatch(/^[0-9a-f]{16,}$/)
    }
  })

  it('verifies the chain on the server (hashes recomputed) and its links in the cache; a tampered cache is caught', async () => {
    const server = await online.ok<ChainVerification>('audit.verifyChain', { tenantId: tenants[0] })
    expect(server).toMatchObject({ status: 'intact', recomputed: true, source: 'server', brokenId: null })
    const cache = await offline.ok<ChainVerification>('audit.verifyChain', { tenantId: tenants[0] })
    expect(cache).toMatchObject({ status: 'linked', recomputed: false, source: 'cache', })
    expect(cache.rowsChecked).toBeGreaterThanOrEqual(PER_TENANT)

    const writer = openCacheForWriting(cacheFilePath(online.dataDir, online.handle.backend.connections.cacheIdentity('env')))
    const victim = writer.prepare('SELECT id, seq FROM audit_logs WHERE tenant_id = ? ORDER BY seq LIMIT 1 OFFSET 100').get(tenants[1]) as { id: string; seq: number }
    writer.prepare('DELETE FROM audit_logs WHERE id = ?').run(victim.id)
    writer.close()
    const tampered = await offline.ok<ChainVerification>('audit.verifyChain', { tenantId: tenants[1] })
    expect(tampered).toMatchObject({ status: 'broken', reason: expect.stringMatching(/missing/) })
    expect(tampered.brokenSeq).toBeGreaterThan(victim.seq)
  })

  it('a tenant the operator cannot see cannot be verified', async () => {
    expect(await online.call('audit.verifyChain', { tenantId: tenants[2] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('sync procedures', () => {
  it('lists the visible tenants by name online and the cached ones offline', async () => {
    const server = await online.ok<{ source: string; tenants: { id: string; name: string | null }[] }>('sync.tenants', {})
    expect(server.source).toBe('server')
    expect(server.tenants.map((t) => t.id).sort()).toEqual([...visible()].sort())
    expect(server.tenants.every((t) => t.name?.startsWith('Tenant screens-'))).toBe(true)
    // Offline, the names come from the cached directory of the visible tenants (cache migration 7).
    const cache = await offline.ok<{ source: string; tenants: { id: string; name: string | null }[] }>('sync.tenants', {})
    expect(cache).toEqual({ source: 'cache', tenants: [...server.tenants].sort((a, b) => a.id.localeCompare(b.id)) })
  })

  it('reports the cache, and refuses to sync while offline', async () => {
    const status = await offline.ok<{ exists: boolean; rows: { executions: number; auditLogs: number }; lastSyncAt: string }>('sync.status', {})
    expect(status).toMatchObject({ exists: true, rows: { executions: PER_TENANT * 2 } })
    expect(Date.parse(status.lastSyncAt)).toBeGreaterThan(Date.now() - 120_000)
    expect(await offline.call('sync.now', {})).toMatchObject({ ok: false, error: { code: 'OFFLINE', retryable: true } })
    expect(offline.handle.backend.status().lastSyncAt).toBe(status.lastSyncAt)
  })
})

describe('the offline cache follows the connection', () => {
  it('a sync reports progress events, and the status bar learns when it finished', async () => {
    const sync = online.events.filter((e) => e.type === 'progress' && e.kind === 'sync')
    expect(sync.length).toBeGreaterThan(1)
    expect(sync.at(-1)).toMatchObject({ finished: true })
    expect(sync.some((e) => e.type === 'progress' && !e.finished && e.total !== null && e.total > 0)).toBe(true)
    expect(online.handle.backend.status().lastSyncAt).not.toBeNull()
  })

  it('a saved profile of another role gets its own cache file, deleted when the profile is removed', async () => {
    const { host, port, database } = operator.config
    const reviewer = await makeOperator(['support'], [tenants[2]!], 'reviewer')
    const saved = await online.ok<{ id: string }>('connections.save', { name: 'Review profile', host, port, database, user: reviewer.name, sslMode: 'disable', password: reviewer.password })
    const file = cacheFilePath(online.dataDir, cacheIdentity({ host, port, database, user: reviewer.name }))
    const envFile = cacheFilePath(online.dataDir, online.handle.backend.connections.cacheIdentity('env'))
    expect(file).not.toBe(envFile)
    try {
      expect(await online.ok('connections.activate', { id: saved.id })).toMatchObject({ state: 'online' })
      await syncCache(online)
      expect(existsSync(file)).toBe(true)
      const page = await online.ok<{ rows: ExecutionRow[]; source: string }>('executions.list', { source: 'cache', limit: 500 })
      expect(page.rows.length).toBeGreaterThan(0)
      expect(new Set(page.rows.map((r) => r.tenantId))).toEqual(new Set([tenants[2]]))
    } finally {
      await online.ok('connections.activate', { id: 'env' })
    }
    await online.ok('connections.remove', { id: saved.id })
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(file + suffix)).toBe(false)
    // The env connection's cache is untouched.
    expect(existsSync(envFile)).toBe(true)
  }, 200_000)

  it('a saved profile of the same login shares its cache; removing that profile keeps the cache the active connection uses', async () => {
    const { host, port, database } = operator.config
    const saved = await online.ok<{ id: string }>('connections.save', { name: 'Same login', host, port, database, user: operator.name, sslMode: 'disable', password: operator.password })
    const envFile = cacheFilePath(online.dataDir, online.handle.backend.connections.cacheIdentity('env'))
    expect(cacheFilePath(online.dataDir, online.handle.backend.connections.cacheIdentity(saved.id))).toBe(envFile)
    await online.ok('connections.remove', { id: saved.id })
    expect(existsSync(envFile)).toBe(true)
  })
})

describe('bad input', () => {
  const names = ['executions.list', 'executions.get', 'executions.workflows', 'audit.list', 'audit.get', 'audit.verifyChain', 'audit.export', 'exports.save', 'sync.status', 'sync.now', 'sync.tenants']
  const wrong = fc.oneof(
    fc.anything().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
    fc.record({ tenantId: fc.string({ maxLength: 40 }), id: fc.string({ maxLength: 40 }) }),
    fc.record({ filter: fc.record({ tenantId: fc.string({ maxLength: 10 }) }) }),
    fc.record({ filter: fc.record({ from: fc.constant('2026-02-01T00:00:00Z'), to: fc.constant('2026-01-01T00:00:00Z') }) }),
    fc.record({ limit: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 501 }), fc.double().filter((d) => !Number.isInteger(d))) }),
    fc.record({ filter: fc.record({ status: fc.string({ maxLength: 8 }), action: fc.string({ maxLength: 8 }) }) }),
    fc.record({ source: fc.string({ maxLength: 8 }).filter((s) => !['auto', 'server', 'cache'].includes(s)) }),
    fc.record({ extra: fc.anything() }),
    fc.record({ jobId: fc.string({ maxLength: 7 }), exportId: fc.string(), offset: fc.integer({ max: -1 }) })
  )

  // Counted on this file's tenants: other files write to the same database at the same time.
  it('every procedure answers BAD_INPUT and nothing is written', async () => {
    const before = await withAdmin(async (admin) => (await admin.query(`select (select count(*) from audit_logs where tenant_id = any($1::uuid[])) a, (select count(*) from executions where tenant_id = any($1::uuid[])) e`, [tenants])).rows[0])
    const exportsBefore = await readdir(path.join(online.dataDir, 'exports')).catch(() => [])
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), wrong, async (name, input) => {
        const result = await online.call(name, input)
        expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', retryable: false } })
      }),
      { numRuns: 300 }
    )
    const after = await withAdmin(async (admin) => (await admin.query(`select (select count(*) from audit_logs where tenant_id = any($1::uuid[])) a, (select count(*) from executions where tenant_id = any($1::uuid[])) e`, [tenants])).rows[0])
    expect(after).toEqual(before)
    expect(await readdir(path.join(online.dataDir, 'exports')).catch(() => [])).toEqual(exportsBefore)
  })
})
