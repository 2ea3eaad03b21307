import { parentPort, workerData } from 'node:worker_threads'
import { RpcError } from '../../../shared/rpc/errors'
import { createDatabase } from '../../db/database'
import { toRpcError } from '../../db/errors'
import { checkpointWhenIdle, openCacheForWriting } from '../db'
import { syncOnce, SyncStopped, type SyncProgress } from './engine'
import type { FromWorker, SyncWorkerData, ToWorker } from './protocol'

/**
 * The sync worker: owns the cache's only write connection and the sync's database pool. Runs one
 * sync per 'sync' message; 'stop' ends the current run between pages, closes both and exits.
 */
const data = workerData as SyncWorkerData
const port = parentPort!
// Two connections: one page is fetched while the previous one is written to the cache.
const db = createDatabase(data.connection, { maxConnections: 2 })
const cache = openCacheForWriting(data.cacheFile)
let stopping = false
let running: Promise<void> | null = null

const post = (message: FromWorker) => port.postMessage(message)

/** The main thread turns these into a progress bar; more than ten a second would only cost. */
function throttledProgress(): (p: SyncProgress) => void {
  let last = 0
  return (progress) => {
    const now = Date.now()
    if (progress.phase === 'pulling' && now - last < 100) return
    last = now
    post({ type: 'progress', progress })
  }
}

async function runOnce(): Promise<void> {
  try {
    const report = await syncOnce(db, cache, data.options, { onProgress: throttledProgress(), shouldStop: () => stopping })
    post({ type: 'done', report })
    try {
      checkpointWhenIdle(cache)
    } catch {
      // The sync itself succeeded; the WAL keeps the pages and the next checkpoint copies them.
    }
  } catch (error) {
    if (error instanceof SyncStopped) return
    post({ type: 'failed', error: describeFailure(error).toJSON() })
  }
}

function describeFailure(error: unknown): RpcError {
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return new RpcError('INTERNAL', `The offline cache could not be written (${code}).`)
  }
  return toRpcError(error)
}

async function shutdown(): Promise<void> {
  stopping = true
  await running
  await db.close().catch(() => {})
  cache.close()
  post({ type: 'stopped' })
  port.close()
}

post({ type: 'ready' })
port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    void shutdown()
  } else if (!running && !stopping) {
    running = runOnce().finally(() => {
      running = null
    })
  }
})
