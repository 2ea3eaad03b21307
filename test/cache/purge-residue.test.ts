import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CacheDb } from '../../src/main/cache/db'
import { syncOnce } from '../../src/main/cache/sync/engine'
import type { Database } from '../../src/main/db/types'
import { openSyncScene, unassignTenant, waitForWatermark, type SyncScene } from './fixtures'

const testDb = inject('db')
let scene: SyncScene
let db: Database
let cache: CacheDb
/** A word found only in the rows of the tenant the operator will lose (error messages: also in the search index). */
const WORD = `residue${Date.now().toString(36)}`

beforeAll(async () => {
  scene = await openSyncScene(testDb, { volumes: [0, 1].map(() => ({ executions: 400, auditLogs: 300, usageRecords: 50 })), dirPrefix: 'cache-residue-' })
  await scene.admin.query(`UPDATE executions SET error_message = $2 || ' ' || error_message WHERE tenant_id = $1 AND error_message IS NOT NULL`, [scene.tenants[0], WORD])
  ;({ db, cache } = scene.openEnds())
})
afterAll(() => scene?.close())

const sync = async () => {
  await waitForWatermark(scene.admin)
  return syncOnce(db, cache, { pageSize: 101 })
}

/** Occurrences of `text` in the raw bytes of the cache file, its WAL and its shared memory. */
function onDisk(text: string): Record<string, number> {
  const needle = Buffer.from(text)
  const counts: Record<string, number> = {}
  for (const suffix of ['', '-wal', '-shm']) {
    const file = scene.cacheFile + suffix
    if (!existsSync(file)) continue
    const bytes = readFileSync(file)
    let count = 0
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) count++
    counts[`cache${suffix}`] = count
  }
  return counts
}
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

describe('purging a tenant the operator lost leaves none of its bytes on disk', () => {
  it('present on disk after the sync, in the tables, the search index and the WAL', async () => {
    await sync()
    const [lost] = scene.tenants as [string]
    expect(cache.prepare('SELECT count(*) FROM execution_errors_fts WHERE execution_errors_fts MATCH ?').pluck().get(WORD)).toBeGreaterThan(0)
    expect(total(onDisk(lost))).toBeGreaterThan(100)
    expect(total(onDisk(WORD))).toBeGreaterThan(10)
    expect(onDisk(lost)['cache-wal']).toBeGreaterThan(0)
  })

  it('after the purge: not in the database file, not in the WAL, with the writer still open', async () => {
    const [lost, kept] = scene.tenants as [string, string]
    await unassignTenant(scene.admin, scene.operator.role, lost)
    const report = await sync()
    expect(report.purgedTenants).toEqual([lost])
    expect(total(onDisk(lost))).toBe(0)
    expect(total(onDisk(WORD))).toBe(0)
    // The tenant kept is all there.
    expect(cache.prepare('SELECT count(*) FROM executions WHERE tenant_id = ?').pluck().get(kept)).toBe(400)
    expect(total(onDisk(kept))).toBeGreaterThan(100)
  })
})
