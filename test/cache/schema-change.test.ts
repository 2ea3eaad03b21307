import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type pg from 'pg'
import type { CacheDb } from '../../src/main/cache/db'
import { syncOnce } from '../../src/main/cache/sync/engine'
import { migrate } from '../../src/main/db/migrate'
import type { Database } from '../../src/main/db/types'
import type { TestDatabase } from '../setup/global-db'
import { adminClient, cacheDigests, openSyncScene, serverDigests, waitForWatermark, type SyncScene } from './fixtures'

// Altering a synced table would make every other cache test sharing the run's database resync:
// this one gets a database of its own (same role prefix, so the harness still drops its roles).
const shared = inject('db')
const own: TestDatabase = { ...shared, database: `${shared.database}_schema`, url: shared.url.replace(/\/[^/]+$/, `/${shared.database}_schema`) }
let scene: SyncScene
let db: Database
let cache: CacheDb

/** Runs one statement on the cluster's maintenance database, where databases are created and dropped. */
async function onCluster(sql: (root: pg.Client) => string): Promise<void> {
  const root = adminClient({ ...shared, url: shared.url.replace(/\/[^/]+$/, '/postgres') })
  await root.connect()
  try {
    await root.query(sql(root))
  } finally {
    await root.end()
  }
}

beforeAll(async () => {
  await onCluster((root) => `CREATE DATABASE ${root.escapeIdentifier(own.database)}`)
  await migrate(
    { host: own.host, port: own.port, database: own.database, user: own.adminUser, password: own.adminPassword, sslMode: 'disable' },
    { rolePrefix: own.rolePrefix }
  )
  const volume = { executions: 120, auditLogs: 80, usageRecords: 60 }
  scene = await openSyncScene(own, { volumes: [volume, volume], dirPrefix: 'cache-schema-' })
  ;({ db, cache } = scene.openEnds())
})

afterAll(async () => {
  await scene?.close()
  await onCluster((root) => `DROP DATABASE IF EXISTS ${root.escapeIdentifier(own.database)} WITH (FORCE)`)
})

describe('a synced table whose server columns change', () => {
  it('is emptied and pulled again in full at the next sync; the other tables are left alone', async () => {
    await waitForWatermark(scene.admin)
    const first = await syncOnce(db, cache, { pageSize: 50 })
    expect(first.resetTables).toEqual([])
    expect((await syncOnce(db, cache, { pageSize: 50 })).rows).toBe(0)
    // A reset table gets its rows again under new local rowids; an untouched one keeps them.
    const executionsRowids = () => cache.prepare('SELECT group_concat(rid) FROM (SELECT rid FROM executions ORDER BY rid)').pluck().get()
    const before = executionsRowids()

    await scene.admin.query('ALTER TABLE usage_records ADD COLUMN cache_probe integer')
    // Rows changed behind the cursor's back would be missed by an incremental pull: only a full
    // resync brings this one to the cache.
    await scene.admin.query('ALTER TABLE usage_records DISABLE TRIGGER touch_sync_xid')
    await scene.admin.query('UPDATE usage_records SET quantity = quantity + 7 WHERE tenant_id = $1', [scene.tenants[0]])
    await scene.admin.query('ALTER TABLE usage_records ENABLE TRIGGER touch_sync_xid')

    await waitForWatermark(scene.admin)
    const report = await syncOnce(db, cache, { pageSize: 50 })
    expect(report.resetTables).toEqual(['usage_records'])
    const { rows } = await scene.admin.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_records WHERE tenant_id = ANY($1::uuid[])', [scene.tenants])
    expect(report.rows).toBe(rows[0]!.n)
    expect(cacheDigests(cache, scene.tenants)).toEqual(await serverDigests(scene.admin, scene.tenants))
    expect(executionsRowids()).toBe(before)
  })
})
