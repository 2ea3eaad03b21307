import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ProgressEvent } from '../../src/shared/events'
import { openCacheForReading, openCacheForWriting } from '../../src/main/cache/db'
import { startSyncWorker, type SyncWorker } from '../../src/main/cache/sync/controller'
import { cacheDigests, cachedRowsOutside, fillTenant, openSyncScene, serverDigests, terminateSessions, waitForWatermark, type SyncScene } from './fixtures'

const testDb = inject('db')
let scene: SyncScene

beforeAll(async () => {
  const volume = { executions: 3000, auditLogs: 3000, usageRecords: 400 }
  scene = await openSyncScene(testDb, { volumes: [volume, volume], dirPrefix: 'cache-interrupt-' })
  openCacheForWriting(scene.cacheFile).close()
})

afterAll(() => scene?.close())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Deterministic, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

function start(events: ProgressEvent[]): SyncWorker {
  return startSyncWorker({ connection: scene.operator.connection, cacheFile: scene.cacheFile, options: { pageSize: 40 }, onEvent: (e) => events.push(e) })
}

/** Resolves once the worker reported rows applied in this run. */
async function firstRows(events: ProgressEvent[], from: number): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 10) {
    if (events.slice(from).some((e) => e.done > 0 || e.finished)) return
    await sleep(10)
  }
  throw new Error('the sync made no progress')
}

describe('a sync interrupted at random pages', () => {
  it('resumes to exactly the server rows, no loss and no duplicate, over 24 interruptions (worker killed or session terminated)', async () => {
    const next = random(20_240_611)
    const events: ProgressEvent[] = []
    let worker = start(events)
    const outcomes = { killed: 0, terminated: 0, finishedFirst: 0 }

    for (let round = 0; outcomes.killed + outcomes.terminated < 24; round++) {
      expect(round).toBeLessThan(60)
      // The server keeps changing between interruptions.
      if (round % 4 === 1) await fillTenant(scene.admin, scene.tenants[round % 2]!, { executions: 60, auditLogs: 60, usageRecords: 10 }, round * 3)
      if (round % 4 === 2) await scene.admin.query(`UPDATE executions SET status = 'canceled' WHERE tenant_id = $1 AND execution_time_ms % 13 = $2`, [scene.tenants[0], round % 13])
      if (round % 4 === 3) await scene.admin.query(`DELETE FROM audit_logs WHERE id IN (SELECT id FROM audit_logs WHERE tenant_id = $1 ORDER BY random() LIMIT 15)`, [scene.tenants[1]])
      // A pass from the start of every stream now and then, so rounds have pages left to interrupt
      // and replayed pages meet rows already cached.
      if (round % 5 === 0) resetCursors()

      const seen = events.length
      let settled = false
      const run = worker.syncNow().then(
        () => 'finished',
        (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`
      )
      void run.then(() => (settled = true))
      await firstRows(events, seen)
      await sleep(Math.floor(next() * 120))
      if (settled) {
        outcomes.finishedFirst++
        resetCursors()
      } else if (next() < 0.5) {
        await worker.terminate()
        outcomes.killed++
        await run
        worker = start(events)
      } else {
        const ended = await terminateSessions(scene.admin, scene.operator.role)
        const outcome = await run
        if (outcome === 'finished') outcomes.finishedFirst++
        else {
          expect(outcome, outcome).toMatch(/^OFFLINE: /)
          expect(ended).toBeGreaterThan(0)
          outcomes.terminated++
        }
      }
    }
    expect(outcomes.killed).toBeGreaterThan(3)
    expect(outcomes.terminated).toBeGreaterThan(3)

    // Resumed without interruption: exactly the server's rows.
    await waitForWatermark(scene.admin)
    await worker.syncNow()
    await worker.stop()
    const reader = openCacheForReading(scene.cacheFile)
    try {
      expect(cacheDigests(reader, scene.tenants)).toEqual(await serverDigests(scene.admin, scene.tenants))
      expect(cachedRowsOutside(reader, scene.tenants)).toBe(0)
      expect(reader.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      reader.close()
    }
    // The progress bar saw rates and an end for every run it started.
    const finished = events.filter((e) => e.finished)
    expect(finished.length).toBeGreaterThanOrEqual(outcomes.killed + outcomes.terminated)
    expect(events.some((e) => e.kind === 'sync' && typeof e.rate === 'number' && e.total !== null)).toBe(true)
  })
})

/** Forgets every cursor (rows stay): the next sync replays every page over the cached rows. */
function resetCursors(): void {
  const cache = openCacheForWriting(scene.cacheFile)
  cache.prepare('DELETE FROM sync_cursors').run()
  cache.close()
}
