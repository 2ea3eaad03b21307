import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openCacheForWriting, type CacheDb } from '../../src/main/cache/db'
import { syncOnce } from '../../src/main/cache/sync/engine'
import { createDatabase } from '../../src/main/db/database'
import { migrate } from '../../src/main/db/migrate'
import type { Database } from '../../src/main/db/types'
import type { TestDatabase } from '../setup/global-db'
import { adminClient, cacheDigests, createSyncOperator, createTenants, dropSyncOperator, fillTenant, serverDigests, waitForWatermark, type SyncOperator } from './fixtures'

// Altering a synced table would make every other cache test sharing the run's database resync:
// this one gets a database of its own (same role prefix, so the harness still drops its roles).
const shared = inject('db')
const own: TestDatabase = { ...shared, database: `${shared.database}_schema`, url: shared.url.replace(/\/[^/]+$/, `/${shared.database}_schema`) }
let admin: pg.Client
let operator: SyncOperator
let db: Database
let dir: string
let cache: CacheDb
let tenants: string[]

beforeAll(async () => {
  const root = adminClient({ ...shared, url: shared.url.replace(/\/[^/]+$/, '/postgres') })
  await root.connect()
  await root.query(`CREATE DATABASE ${root.escapeIdentifier(own.database)}`)
  await root.end()
  await migrate(
    { host: own.host, port: own.port, database: own.database, user: own.adminUser, ...(own.adminPassword ? { password: own.adminPassword } : {}), sslMode: 'disable' },
    { rolePrefix: own.rolePrefix }
  )
  admin = adminClient(own)
  await admin.connect()
  tenants = await createTenants(admin, 2)
  for (const tenantId of tenants) await fillTenant(admin, tenantId, { executions: 120, auditLogs: 80, usageRecords: 60 })
  operator = await createSyncOperator(admin, own, tenants)
  db = createDatabase(operator.connection)
  dir = mkdtempSync(join(tmpdir(), 'cache-schema-'))
  cache = openCacheForWriting(join(dir, 'profile.sqlite'))
})

afterAll(async () => {
  cache?.close()
  await db?.close()
  if (operator) await dropSyncOperator(admin, operator.role)
  await admin?.end()
  const root = adminClient({ ...shared, url: shared.url.replace(/\/[^/]+$/, '/postgres') })
  await root.connect()
  await root.query(`DROP DATABASE IF EXISTS ${root.escapeIdentifier(own.database)} WITH (FORCE)`)
  await root.end()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a synced table whose server columns change', () => {
  it('is emptied and pulled again in full at the next sync; the other tables are left alone', async () => {
    await waitForWatermark(admin)
    const first = await syncOnce(db, cache, { pageSize: 50 })
    expect(first.resetTables).toEqual([])
    expect((await syncOnce(db, cache, { pageSize: 50 })).rows).toBe(0)
    // A reset table gets its rows again under new local rowids; an untouched one keeps them.
    const executionsRowids = () => cache.prepare('SELECT group_concat(rid) FROM (SELECT rid FROM executions ORDER BY rid)').pluck().get()
    const before = executionsRowids()

    await admin.query('ALTER TABLE usage_records ADD COLUMN cache_probe integer')
    // Rows changed behind the cursor's back would be missed by an incremental pull: only a full
    // resync brings this one to the cache.
    await admin.query('ALTER TABLE usage_records DISABLE TRIGGER touch_sync_xid')
    await admin.query('UPDATE usage_records SET quantity = quantity + 7 WHERE tenant_id = $1', [tenants[0]])
    await admin.query('ALTER TABLE usage_records ENABLE TRIGGER touch_sync_xid')

    await waitForWatermark(admin)
    const report = await syncOnce(db, cache, { pageSize: 50 })
    expect(report.resetTables).toEqual(['usage_records'])
    const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_records WHERE tenant_id = ANY($1::uuid[])', [tenants])
    expect(report.rows).toBe(rows[0]!.n)
    expect(cacheDigests(cache, tenants)).toEqual(await serverDigests(admin, tenants))
    expect(executionsRowids()).toBe(before)
  })
})
