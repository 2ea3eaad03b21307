import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { endianness } from 'node:os'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { startSyncWorker } from '../../src/main/cache/sync/controller'
import { openSyncScene, waitForWatermark, type SyncScene } from './fixtures'

/**
 * Issue 14: a sync's commit no longer copies the WAL into the database file (17-18 ms of a
 * 1,000-row sync of a large table); the worker does it once the sync has reported. Its rows are
 * visible before that (readers see the WAL), and nothing is left in the WAL afterwards.
 */

const testDb = inject('db')
let scene: SyncScene

beforeAll(async () => {
  scene = await openSyncScene(testDb, { volumes: [{ executions: 300, auditLogs: 300, usageRecords: 20 }], dirPrefix: 'cache-checkpoint-' })
})
afterAll(() => scene?.close())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The WAL's frames and how many of them are in the database file, read from the wal-index header
 * (https://www.sqlite.org/walformat.html: mxFrame at byte 16, nBackfill at 96, native byte order).
 * Not wal_checkpoint(NOOP): that takes the checkpoint lock, and when it held it just as the worker
 * checkpointed, the worker's PASSIVE checkpoint was busy and skipped, and this test failed.
 */
function walState(shmFile: string): { log: number; checkpointed: number } {
  const header = readFileSync(shmFile).subarray(0, 136)
  const u32 = (offset: number) => (endianness() === 'LE' ? header.readUInt32LE(offset) : header.readUInt32BE(offset))
  return { log: u32(16), checkpointed: u32(96) }
}

it('the sync worker checkpoints the WAL once an incremental sync has reported', async () => {
  const worker = startSyncWorker({ connection: scene.operator.connection, cacheFile: scene.cacheFile })
  let inspector: Database.Database | null = null
  try {
    // The scene's rows first, all of them: other test files share the cluster, and a transaction of
    // theirs can hold the watermark below rows just written (the next sync then read 1,222, not 300).
    await waitForWatermark(scene.admin)
    await worker.syncNow()
    inspector = new Database(scene.cacheFile, { readonly: true })
    const wal = () => walState(`${scene.cacheFile}-shm`)
    await scene.admin.query(`UPDATE executions SET execution_time_ms = execution_time_ms + 1 WHERE tenant_id = $1`, [scene.tenants[0]])
    await waitForWatermark(scene.admin)
    const report = await worker.syncNow()
    expect(report.rows).toBe(300)

    let state = wal()
    for (let waited = 0; state.checkpointed < state.log && waited < 5_000; waited += 20) {
      await sleep(20)
      state = wal()
    }
    expect(state.log, 'the incremental sync wrote to the WAL').toBeGreaterThan(0)
    expect(state.checkpointed, 'every frame is in the database file').toBe(state.log)
    expect(inspector.prepare('SELECT count(*) FROM executions WHERE tenant_id = ?').pluck().get(scene.tenants[0])).toBe(300)
  } finally {
    inspector?.close()
    await worker.stop()
  }
})
