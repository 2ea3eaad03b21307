// One initial sync in a process of its own, started by bench/cache.ts: the parent has already
// pulled and inserted a million rows for its ceilings and its maxRSS never goes down, so only a
// fresh process tells what the sync itself needs and whether that grows with the table.
// The job (connection with its password) arrives over the IPC channel, never on the command line.
import { startSyncWorker } from '../src/main/cache/sync/controller'
import type { SyncOptions } from '../src/main/cache/sync/engine'
import type { ConnectionConfig } from '../src/main/db/types'

export interface SyncChildJob {
  connection: ConnectionConfig
  cacheFile: string
  options: SyncOptions
}

export interface SyncChildResult {
  rows: number
  ms: number
  /** RSS once the worker is up, before the first page: the floor every size shares. */
  readyRss: number
  /** Peak RSS of the process (main thread + sync worker), from getrusage at the end. */
  maxRss: number
}

async function run(job: SyncChildJob): Promise<SyncChildResult> {
  const worker = startSyncWorker(job)
  try {
    await worker.ready
    const readyRss = process.memoryUsage().rss
    const started = performance.now()
    const report = await worker.syncNow()
    return { rows: report.rows, ms: performance.now() - started, readyRss, maxRss: process.resourceUsage().maxRSS * 1024 }
  } finally {
    await worker.stop()
  }
}

process.once('message', (job: SyncChildJob) => {
  run(job).then(
    (result) => process.send!({ ok: true, result }, () => process.disconnect()),
    (error: unknown) => process.send!({ ok: false, message: error instanceof Error ? error.message : String(error) }, () => process.disconnect())
  )
})
