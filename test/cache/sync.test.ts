import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CacheDb } from '../../src/main/cache/db'
import { CacheWriter, EVERY_TENANT } from '../../src/main/cache/sync/apply'
import { syncOnce } from '../../src/main/cache/sync/engine'
import { fetchTenantDirectory } from '../../src/main/cache/sync/pull'
import type { Database } from '../../src/main/db/types'
import {
  adminClient,
  assignTenant,
  cacheDigests,
  cachedRowsOutside,
  fillTenant,
  openSyncScene,
  serverDigests,
  unassignTenant,
  waitForWatermark,
  type SyncScene
} from './fixtures'
import { listCachedTenants } from '../../src/main/domains/sync/cache-queries'
import { cachedTenant, listCachedNames } from '../../src/main/domains/tenants/cache-queries'

const testDb = inject('db')
let scene: SyncScene
let db: Database
let cache: CacheDb
let other: string

beforeAll(async () => {
  const volume = (i: number) => ({ executions: 300 + 50 * i, auditLogs: 250, usageRecords: 80 })
  scene = await openSyncScene(testDb, { volumes: [0, 1, 2].map(volume), unassigned: [volume(3)], dirPrefix: 'cache-sync-' })
  other = scene.unassigned[0]!
  await scene.admin.query('SELECT app.fold_daily_usage()')
  ;({ db, cache } = scene.openEnds())
})

afterAll(() => scene?.close())

const syncNow = () => syncOnce(db, cache, { pageSize: 97 })
/** A sync that sees everything written so far (see waitForWatermark). */
const sync = async () => {
  await waitForWatermark(scene.admin)
  return syncNow()
}

async function expectCacheEqualsServer(): Promise<void> {
  expect(cacheDigests(cache, scene.tenants)).toEqual(await serverDigests(scene.admin, scene.tenants))
  expect(cachedRowsOutside(cache, scene.tenants)).toBe(0)
}

describe('sync against a real PostgreSQL into a real SQLite file', () => {
  it('makes the cache equal to the server after the initial sync, per tenant and table', async () => {
    const report = await sync()
    expect(report.tenants).toBe(3)
    await expectCacheEqualsServer()
    // The daily summary arrives too, for the same tenants.
    const { rows } = await scene.admin.query(
      `SELECT tenant_id::text, usage_type, usage_date::text, total_quantity::float8 AS q, record_count::float8 AS n
       FROM daily_usage_summary WHERE tenant_id = ANY($1::uuid[]) ORDER BY 1, 2, 3`,
      [scene.tenants]
    )
    const cached = cache.prepare('SELECT tenant_id, usage_type, usage_date, total_quantity AS q, record_count AS n FROM daily_usage_summary ORDER BY 1, 2, 3').all()
    expect(rows.length).toBeGreaterThan(0)
    expect(cached).toEqual(rows)
    // The synced tenants' directory fields arrive too (issue 15: names offline), and only theirs.
    const directory = await scene.admin.query(
      `SELECT t.id::text, t.slug::text, t.name::text, t.status::text, t.plan_type::text AS plan, l.agent_usage_limit
         FROM tenants t LEFT JOIN tenant_limits l ON l.tenant_id = t.id AND l.active WHERE t.id = ANY($1::uuid[]) ORDER BY 1`,
      [scene.tenants]
    )
    expect(cache.prepare('SELECT id, slug, name, status, plan, agent_usage_limit FROM tenant_directory ORDER BY 1').all()).toEqual(directory.rows)
    expect(listCachedTenants(cache)).toEqual(expect.arrayContaining(directory.rows.map((r) => ({ id: r.id, name: r.name }))))
    expect(listCachedNames(cache, directory.rows[0]!.name, { offset: 0, limit: 10 }).rows.map((r) => r.id)).toContain(directory.rows[0]!.id)
    expect(cachedTenant(cache, directory.rows[0]!.id)).toMatchObject({ name: directory.rows[0]!.name, agentUsageLimit: directory.rows[0]!.agent_usage_limit })
    expect(() => cachedTenant(cache, other)).toThrow(/not in the offline cache/)
    // Nothing changed: the next sync pulls nothing.
    expect((await sync()).rows).toBe(0)
    // Every stream read all three tenants together: one shared cursor each, no row per tenant
    // (issue 14: at 10,000 tenants those rows cost about 60 ms of every sync).
    const cursors = cache.prepare('SELECT table_name, tenant_id FROM sync_cursors').all() as { table_name: string; tenant_id: string }[]
    expect(cursors.length).toBeGreaterThan(0)
    expect(cursors.filter((c) => c.tenant_id !== EVERY_TENANT)).toEqual([])
    expect(new Set(cursors.map((c) => c.table_name)).size).toBe(cursors.length)
  })

  it('reads the tenant directory only when the server digest changed, and then brings the change', async () => {
    await sync()
    const held = new CacheWriter(cache).directoryDigest()
    expect(held).toMatch(/^\d+:-?\d+$/)
    const unchanged = await db.withPlatform((client) => fetchTenantDirectory(client, held))
    expect(unchanged).toEqual({ digest: held, rows: null })

    const renamed = `Renamed ${Date.now()}`
    const before = (await scene.admin.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [scene.tenants[1]])).rows[0]!.name
    await scene.admin.query('UPDATE tenants SET name = $2 WHERE id = $1', [scene.tenants[1], renamed])
    try {
      const changed = await db.withPlatform((client) => fetchTenantDirectory(client, held))
      expect(changed.digest).not.toBe(held)
      expect(changed.rows?.some((r) => r[0] === scene.tenants[1] && r[2] === renamed)).toBe(true)
      await sync()
      expect(cachedTenant(cache, scene.tenants[1]!).name).toBe(renamed)
    } finally {
      await scene.admin.query('UPDATE tenants SET name = $2 WHERE id = $1', [scene.tenants[1], before])
    }
  })

  it('applies server inserts, updates and deletes at the next sync', async () => {
    const [a, b] = scene.tenants as [string, string]
    await fillTenant(scene.admin, a, { executions: 40, auditLogs: 30, usageRecords: 5 }, 10)
    await scene.admin.query(`UPDATE executions SET status = 'crashed', error_message = 'worker lost' WHERE tenant_id = $1 AND status = 'success' AND execution_time_ms % 10 = 1`, [b])
    await scene.admin.query(`UPDATE usage_records SET quantity = quantity + 1000 WHERE tenant_id = $1 AND usage_type = 'storage'`, [a])
    const deleted = await scene.admin.query(
      `DELETE FROM executions WHERE id IN (SELECT id FROM executions WHERE tenant_id = $1 ORDER BY started_at LIMIT 25)`,
      [b]
    )
    expect(deleted.rowCount).toBe(25)
    await scene.admin.query(`DELETE FROM audit_logs WHERE tenant_id = $1 AND action = 'DELETE'`, [a])

    const report = await sync()
    expect(report.tombstones).toBeGreaterThanOrEqual(25 + 50) // the executions and their steps (cascade), plus audit rows
    await expectCacheEqualsServer()
    expect(cache.prepare("SELECT count(*) FROM executions WHERE status = 'crashed'").pluck().get()).toBeGreaterThan(0)
  })

  it('reads the changes of all synced tenants with one query per stream page and one probe, not one transaction per tenant', async () => {
    for (const tenant of scene.tenants) await fillTenant(scene.admin, tenant, { executions: 3, auditLogs: 2, usageRecords: 1 }, 20)
    await scene.admin.query(`DELETE FROM executions WHERE id IN (SELECT id FROM executions WHERE tenant_id = $1 ORDER BY started_at LIMIT 2)`, [scene.tenants[2]])
    await waitForWatermark(scene.admin)
    const calls = { tenant: 0, platform: 0 }
    const counting: Database = {
      withTenant: (id, fn) => {
        calls.tenant += 1
        return db.withTenant(id, fn)
      },
      withPlatform: (fn) => {
        calls.platform += 1
        return db.withPlatform(fn)
      },
      close: () => db.close()
    }
    const report = await syncOnce(counting, cache, { pageSize: 97 })
    expect(report.rows).toBeGreaterThan(0)
    expect(report.tombstones).toBeGreaterThan(0)
    await expectCacheEqualsServer()
    // Nothing per tenant: the plan, one probe (pending counts and horizons of every tenant), then one
    // page per stream that changed (the tables, and the tombstones of the deletes).
    expect(calls.tenant).toBe(0)
    expect(calls.platform).toBeLessThanOrEqual(1 + 1 + 8)
  })

  it('picks up a row committed late by a transaction that began before the previous sync, whatever its timestamp', async () => {
    const [tenantId] = scene.tenants as [string]
    const writer = adminClient(testDb)
    await writer.connect()
    try {
      await writer.query('BEGIN')
      const { rows } = await writer.query<{ id: string }>(
        `INSERT INTO executions (tenant_id, workflow_id, workflow_name, status, started_at, finished_at, created_at)
         SELECT tenant_id, id, name, 'success', now() - interval '30 days', now() - interval '30 days', now() - interval '30 days'
         FROM workflows WHERE tenant_id = $1 LIMIT 1 RETURNING id::text`,
        [tenantId]
      )
      const lateId = rows[0]!.id
      // Newer rows committed meanwhile by someone else.
      await fillTenant(scene.admin, tenantId, { executions: 10, auditLogs: 5, usageRecords: 1 }, 5)

      // Not waiting here: the open transaction is the point.
      await syncNow()
      const cached = cache.prepare('SELECT count(*) FROM executions WHERE id = ?').pluck()
      expect(cached.get(lateId)).toBe(0)

      await writer.query('COMMIT')
      await sync()
      expect(cached.get(lateId)).toBe(1)
      await expectCacheEqualsServer()
    } finally {
      await writer.end()
    }
  })

  it('drops archived executions and their steps when archival publishes a purge horizon', async () => {
    const [tenantId] = scene.tenants as [string]
    // Executions that finished 120 days ago, with steps, cached first.
    await scene.admin.query(
      `WITH old AS (
         INSERT INTO executions (tenant_id, workflow_id, workflow_name, status, started_at, finished_at, created_at)
         SELECT tenant_id, id, name, 'success', now() - interval '120 days', now() - interval '120 days', now() - interval '120 days'
         FROM workflows, generate_series(1, 5) WHERE tenant_id = $1 RETURNING tenant_id, id, started_at)
       INSERT INTO execution_steps (tenant_id, execution_id, step_index, step_name, status, started_at)
       SELECT tenant_id, id, 0, 'only step', 'success', started_at FROM old`,
      [tenantId]
    )
    const inserted = ((await scene.admin.query(`SELECT count(*)::int AS n FROM execution_steps WHERE tenant_id = $1 AND step_name = 'only step'`, [tenantId])).rows[0] as { n: number }).n
    expect(inserted).toBeGreaterThan(0)
    await sync()
    const old = cache.prepare(
      `SELECT (SELECT count(*) FROM executions WHERE tenant_id = @tenantId AND finished_at < @cutoff) AS executions,
              (SELECT count(*) FROM execution_steps WHERE tenant_id = @tenantId AND step_name = 'only step') AS steps`
    )
    const cutoff = Date.now() - 90 * 86_400_000
    expect(old.get({ tenantId, cutoff })).toEqual({ executions: inserted, steps: inserted })

    const tombstones = async () => ((await scene.admin.query(`SELECT count(*)::int AS n FROM sync_tombstones WHERE tenant_id = $1`, [tenantId])).rows[0] as { n: number }).n
    const tombstonesBefore = await tombstones()
    const { rows } = await scene.admin.query<{ archived: number }>('SELECT app.archive_old_executions(90) AS archived')
    expect(rows[0]!.archived).toBeGreaterThanOrEqual(inserted)
    // Archival publishes one horizon per tenant and table, not one tombstone per row.
    expect(await tombstones()).toBe(tombstonesBefore)
    await sync()
    expect(old.get({ tenantId, cutoff })).toEqual({ executions: 0, steps: 0 })
    await expectCacheEqualsServer()
  })

  it('drops every archived execution after an archival in batches, of a tenant absent from the last batch too', async () => {
    const [first, second] = scene.tenants as [string, string]
    // Older than anything else in the run's database, so the batches hold these only, oldest first:
    // [first, second, FIRST'S NEWEST] [second ×3] [second]. Migration 014 never covered the first's newest.
    const ages: [string, number][] = [[first, 9400], [second, 9399], [first, 9398], [second, 9397], [second, 9396], [second, 9395], [second, 9394]]
    for (const [tenantId, age] of ages) {
      await scene.admin.query(
        `WITH e AS (
           INSERT INTO executions (tenant_id, workflow_id, workflow_name, status, started_at, finished_at, created_at)
           SELECT tenant_id, id, name, 'success', now() - make_interval(days => $2), now() - make_interval(days => $2), now() - make_interval(days => $2)
           FROM workflows WHERE tenant_id = $1 LIMIT 1 RETURNING tenant_id, id, started_at)
         INSERT INTO execution_steps (tenant_id, execution_id, step_index, step_name, status, started_at) SELECT tenant_id, id, 0, 'ancient', 'success', started_at FROM e`,
        [tenantId, age]
      )
    }
    await sync()
    const ancient = cache.prepare(
      `SELECT (SELECT count(*) FROM executions WHERE finished_at < @cutoff) AS executions,
              (SELECT count(*) FROM execution_steps WHERE step_name = 'ancient') AS steps`
    )
    const cutoff = Date.now() - 9000 * 86_400_000
    expect(ancient.get({ cutoff })).toEqual({ executions: ages.length, steps: ages.length })
    const moved: number[] = []
    for (;;) {
      const { rows } = await scene.admin.query<{ n: number }>('SELECT app.archive_executions_batch(9000, 3) AS n')
      moved.push(rows[0]!.n)
      if (rows[0]!.n < 3) break
    }
    expect(moved).toEqual([3, 3, 1])
    await sync()
    expect(ancient.get({ cutoff })).toEqual({ executions: 0, steps: 0 })
    await expectCacheEqualsServer()
  })

  it('removes a tenant the operator may no longer see at the next sync, and fetches one newly granted', async () => {
    const [lost] = scene.tenants as [string]
    await unassignTenant(scene.admin, scene.operator.role, lost)
    const report = await sync()
    expect(report.purgedTenants).toEqual([lost])
    for (const table of ['executions', 'execution_steps', 'audit_logs', 'usage_records', 'daily_usage_summary', 'sync_cursors']) {
      expect(cache.prepare(`SELECT count(*) FROM ${table} WHERE tenant_id = ?`).pluck().get(lost)).toBe(0)
    }
    expect(cache.prepare('SELECT count(*) FROM tenant_directory WHERE id = ?').pluck().get(lost)).toBe(0)
    scene.tenants = scene.tenants.filter((t) => t !== lost)
    await expectCacheEqualsServer()

    await assignTenant(scene.admin, scene.operator.role, other)
    await sync()
    scene.tenants = [...scene.tenants, other].sort()
    await expectCacheEqualsServer()
    expect(cache.prepare('SELECT count(*) FROM executions WHERE tenant_id = ?').pluck().get(other)).toBeGreaterThan(0)
    expect(cache.prepare('SELECT count(*) FROM tenant_directory WHERE id = ?').pluck().get(other)).toBe(1)
  })
})
