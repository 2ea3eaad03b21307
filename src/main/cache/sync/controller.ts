import { Worker } from 'node:worker_threads'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { ProgressEvent } from '../../../shared/events'
import { RpcError } from '../../../shared/rpc/errors'
import type { ConnectionConfig } from '../../db/types'
import type { SyncOptions, SyncProgress, SyncReport } from './engine'
import type { FromWorker, SyncWorkerData } from './protocol'

export interface SyncWorkerOptions {
  connection: ConnectionConfig
  cacheFile: string
  options?: SyncOptions
  /** Sync on this period besides "Sync now"; none when absent. */
  intervalMs?: number
  onEvent?: (event: ProgressEvent) => void
}

export interface SyncWorker {
  /** Resolves once the worker has opened the cache and its pool (rejects if it died first). */
  readonly ready: Promise<void>
  /** Starts a sync, or joins the one running. Rejects with an RpcError when it fails. */
  syncNow(): Promise<SyncReport>
  /** Ends the running sync between two pages, then the worker. */
  stop(): Promise<void>
  /** Ends the worker at once, wherever it is (what a crash would do). */
  terminate(): Promise<void>
  readonly threadId: number
}

/**
 * The worker holds about one page at a time, so its heap needs little; without a cap V8 lets the
 * old generation grow lazily over a long initial sync, and the process's peak memory then creeps
 * up with the table's size (bench/cache.ts measures it per size). The young generation holds the
 * rows streaming in until their page is written: at 16 MiB they were copied by scavenges so often
 * that the initial sync of a million audit rows took 23.6 s, at 32 MiB 21.0 s (7 MiB more RSS).
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 32 }

/**
 * The built app ships worker.js next to this module. Under tsx or vitest (development, tests) the
 * worker is TypeScript: a small bootstrap registers tsx's loader inside the thread first, since
 * loaders of the parent thread do not reach a worker.
 */
function spawnWorker(data: SyncWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: data, resourceLimits: WORKER_LIMITS })
  // require.resolve picks the CommonJS build of tsx's API; the thread imports its ESM twin.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
  const entry = new URL('./worker.ts', import.meta.url).href
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS })
}

export function startSyncWorker(opts: SyncWorkerOptions): SyncWorker {
  const worker = spawnWorker({ connection: opts.connection, cacheFile: opts.cacheFile, options: opts.options ?? {} })
  const progressBar = new ProgressReporter(opts.onEvent ?? (() => {}))
  let current: { resolve(r: SyncReport): void; reject(e: unknown): void; promise: Promise<SyncReport> } | null = null
  let exited = false
  let markReady!: () => void
  let failStart!: (error: unknown) => void
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve
    failStart = reject
  })
  ready.catch(() => {})

  const settle = (outcome: { report: SyncReport } | { error: RpcError }) => {
    const run = current
    current = null
    if (!run) return
    if ('report' in outcome) run.resolve(outcome.report)
    else run.reject(outcome.error)
  }

  worker.on('message', (message: FromWorker) => {
    if (message.type === 'ready') markReady()
    else if (message.type === 'progress') progressBar.update(message.progress)
    else if (message.type === 'done') {
      progressBar.finish(null)
      settle({ report: message.report })
    } else if (message.type === 'failed') {
      const error = new RpcError(message.error.code, message.error.message, { retryable: message.error.retryable })
      progressBar.finish(error.message)
      settle({ error })
    }
  })
  worker.on('error', (error) => {
    failStart(error)
    progressBar.finish(error.message)
    settle({ error: new RpcError('INTERNAL', `The sync worker failed: ${error.message}`) })
  })
  worker.on('exit', () => {
    exited = true
    failStart(new RpcError('INTERNAL', 'The sync worker stopped.'))
    if (timer) clearInterval(timer)
    if (current) progressBar.finish('The sync was interrupted.')
    settle({ error: new RpcError('INTERNAL', 'The sync worker stopped before the sync finished; the next sync resumes where it ended.', { retryable: true }) })
  })

  const syncNow = (): Promise<SyncReport> => {
    if (exited) return Promise.reject(new RpcError('INTERNAL', 'The sync worker has stopped.'))
    if (current) return current.promise
    let resolve!: (r: SyncReport) => void
    let reject!: (e: unknown) => void
    const promise = new Promise<SyncReport>((res, rej) => {
      resolve = res
      reject = rej
    })
    current = { resolve, reject, promise }
    progressBar.start()
    worker.postMessage({ type: 'sync' })
    return promise
  }

  // Failures of a scheduled run reach the renderer as a failed progress event; nobody awaits it.
  const timer = opts.intervalMs === undefined ? null : setInterval(() => current ?? syncNow().catch(() => {}), opts.intervalMs)
  timer?.unref()

  const exit = () => (exited ? Promise.resolve() : new Promise<void>((resolve) => worker.once('exit', () => resolve())))

  return {
    ready,
    threadId: worker.threadId,
    syncNow,
    async stop() {
      const done = exit()
      if (!exited) worker.postMessage({ type: 'stop' })
      await done
    },
    async terminate() {
      const done = exit()
      await worker.terminate()
      await done
    }
  }
}

/** Turns the worker's row counts into the renderer's progress events: rate over recent pages, time left. */
class ProgressReporter {
  private jobId = ''
  private lastAt = 0
  private lastDone = 0
  private seen = 0
  private rate: number | undefined

  constructor(private readonly emit: (event: ProgressEvent) => void) {}

  start(): void {
    this.jobId = `sync-${randomUUID()}`
    this.lastAt = Date.now()
    this.lastDone = 0
    this.seen = 0
    this.rate = undefined
    this.emit({ type: 'progress', jobId: this.jobId, kind: 'sync', label: 'Syncing the offline cache', done: 0, total: null })
  }

  update(p: SyncProgress): void {
    this.seen = p.done
    const now = Date.now()
    const elapsed = (now - this.lastAt) / 1000
    if (elapsed >= 0.25 && p.done > this.lastDone) {
      const instant = (p.done - this.lastDone) / elapsed
      // Smoothed, so one slow page does not make the time left jump around.
      this.rate = this.rate === undefined ? instant : 0.7 * this.rate + 0.3 * instant
      this.lastAt = now
      this.lastDone = p.done
    }
    const eta = this.rate && p.total !== null ? Math.max(0, (p.total - p.done) / this.rate) : undefined
    this.emit({
      type: 'progress',
      jobId: this.jobId,
      kind: 'sync',
      label: p.table ? `Syncing ${p.table.replace(/_/g, ' ')}` : 'Preparing the sync',
      done: p.done,
      total: p.total,
      ...(this.rate !== undefined ? { rate: Math.round(this.rate) } : {}),
      ...(eta !== undefined ? { etaSeconds: Math.round(eta) } : {})
    })
  }

  finish(error: string | null): void {
    if (!this.jobId) return
    this.emit({ type: 'progress', jobId: this.jobId, kind: 'sync', label: error ? 'Sync failed' : 'Sync finished', done: this.seen, total: this.seen, finished: true, ...(error ? { error } : {}) })
    this.jobId = ''
  }
}
