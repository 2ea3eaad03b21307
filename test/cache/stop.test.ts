import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { syncOnce, SyncStopped } from '../../src/main/cache/sync/engine'
import { cacheDigests, openSyncScene, serverDigests, waitForWatermark, type SyncScene } from './fixtures'

/**
 * A stop asked for while rows stream in (issue 14: one query reads many pages) ends the sync at a
 * page boundary: the pages committed before it stay, the query's remaining rows are passed over,
 * and the next sync resumes to exactly the server's rows.
 */

const testDb = inject('db')
let scene: SyncScene

beforeAll(async () => {
  scene = await openSyncScene(testDb, { volumes: [{ executions: 900, auditLogs: 10, usageRecords: 10 }], dirPrefix: 'cache-stop-' })
})
afterAll(() => scene?.close())

it('stops between two pages of one streamed query, keeps the pages before, and resumes to the server rows', async () => {
  const { db, cache } = scene.openEnds()
  await waitForWatermark(scene.admin)
  const committed: number[] = []
  const stopped = syncOnce(db, cache, { pageSize: 100, tables: ['executions'] }, {
    onProgress: (p) => {
      if (p.phase === 'pulling' && p.table === 'executions') committed.push(p.done)
    },
    // Asked once three pages are in: the fourth page's rows have arrived by then, in the same query.
    shouldStop: () => committed.length >= 3
  })
  await expect(stopped).rejects.toBeInstanceOf(SyncStopped)
  expect(committed).toEqual([100, 200, 300])
  expect(cache.prepare('SELECT count(*) FROM executions').pluck().get()).toBe(300)

  const report = await syncOnce(db, cache, { pageSize: 100, tables: ['executions'] })
  expect(report.rows).toBe(600)
  const executions = (digests: Record<string, Record<string, unknown>>) => scene.tenants.map((t) => digests[t]!.executions)
  expect(executions(cacheDigests(cache, scene.tenants))).toEqual(executions(await serverDigests(scene.admin, scene.tenants)))
})
