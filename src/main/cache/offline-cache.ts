import { existsSync } from 'node:fs'
import type { ProgressEvent } from '../../shared/events'
import { RpcError } from '../../shared/rpc/errors'
import type { CacheStatus, SyncSummary } from '../../shared/rpc/areas/sync'
import type { Backend } from '../backend-types'
import { cacheFilePath, cacheVersion, deleteCache, openCacheForReading, prepareCacheFolder, type CacheDb } from './db'
import { CACHE_MIGRATIONS } from './migrations'
import { lastSyncedAt } from './last-synced'
import { startSyncWorker, type SyncWorker } from './sync/controller'
import type { SyncOptions } from './sync/engine'
import type { ConnectionConfig } from '../db/types'
import type { ConnectionChange } from '../profiles/active-connection'
import { describeError } from '../rpc/describe-error'

/** The active connection's offline cache, as the screens and the sync panel see it. */
export interface OfflineCache {
  /** A read-only connection to the active connection's cache; null until a sync has written one. */
  reader(): CacheDb | null
  status(): CacheStatus
  /** Runs a sync now (or joins the running one). OFFLINE while the database cannot be reached. */
  syncNow(): Promise<SyncSummary>
  close(): Promise<void>
}

export interface OfflineCacheOptions {
  emit(event: ProgressEvent): void
  log?: (line: string) => void
  /** How often the schedule looks at the settings (interval, enabled); the interval itself is in Settings. */
  tickMs?: number
}

/** What the cache follows and reports to: the backend it becomes part of, before it has a cache. */
export type OfflineCacheHost = Pick<Backend, 'dataDir' | 'settings' | 'status' | 'connections' | 'onConnectionChange' | 'reportSync'>

/**
 * Follows the active connection: one cache file per login (server, database, role: see
 * CacheIdentity), so a connection never reads rows that another role's sync wrote; one sync worker while online
 * (it owns the only write connection), a read-only connection for the screens. Syncs when the
 * connection comes online, then on the interval chosen in Settings, and on "Sync now". Removing a
 * profile deletes its login's cache file. createBackend starts one per backend and declares it as
 * Backend.offlineCache.
 */
export function startOfflineCache(backend: OfflineCacheHost, options: OfflineCacheOptions): OfflineCache {
  const log = options.log ?? ((line: string) => console.log(line))
  prepareCacheFolder(backend.dataDir)

  let profileId = backend.status().profileId
  let readConnection: CacheDb | null = null
  let worker: { sync: SyncWorker; optionsKey: string } | null = null
  let liveConfig: ConnectionConfig | null = null
  let running: Promise<SyncSummary> | null = null
  let lastRunAt = 0
  let lastError: string | null = null
  let closed = false

  const cacheFileOf = (id: string) => cacheFilePath(backend.dataDir, backend.connections.cacheIdentity(id))
  let currentFile = cacheFileOf(profileId)
  const file = () => currentFile

  /** Null until the worker has created and migrated the file: a half-made cache is not read. */
  function openReader(): CacheDb | null {
    if (readConnection || !existsSync(file())) return readConnection
    const reader = openCacheForReading(file())
    if (cacheVersion(reader) < CACHE_MIGRATIONS.length) {
      reader.close()
      return null
    }
    readConnection = reader
    return readConnection
  }

  function closeReader(): void {
    readConnection?.close()
    readConnection = null
  }

  function syncOptions(): SyncOptions {
    const { windowDays, rollupDays, pinnedTenantIds } = backend.settings.preferences().sync
    return {
      // Steps follow their executions (see syncWindowDaysSchema).
      windowDays: { ...windowDays, execution_steps: windowDays.executions },
      rollupDays,
      scope: { assigned: true, pinned: pinnedTenantIds }
    }
  }

  async function stopWorker(): Promise<void> {
    const current = worker
    worker = null
    if (current) await current.sync.stop().catch((error: unknown) => log(`stopping the sync worker failed: ${describeError(error)}`))
  }

  function ensureWorker(config: ConnectionConfig): void {
    const opts = syncOptions()
    const optionsKey = JSON.stringify(opts)
    if (worker?.optionsKey === optionsKey) return
    // The windows or pins changed in Settings: the worker keeps its options, so a new one takes over.
    void stopWorker()
    worker = { sync: startSyncWorker({ connection: config, cacheFile: file(), options: opts, onEvent: options.emit }), optionsKey }
  }

  function run(): Promise<SyncSummary> {
    if (running) return running
    // Every run takes the windows and pins Settings hold now; a run under way keeps its own.
    if (liveConfig) ensureWorker(liveConfig)
    const current = worker
    if (!current) return Promise.reject(new RpcError('OFFLINE', 'Syncing needs the database; the cache syncs by itself once the console is back online.'))
    lastRunAt = Date.now()
    const startedFile = file()
    const thisRun: Promise<SyncSummary> = current.sync
      .syncNow()
      .then((report) => {
        const finishedAt = new Date(report.finishedAt)
        // A run of a login the console has since left says nothing about the current cache.
        if (file() === startedFile) {
          lastError = null
          openReader()
          backend.reportSync(finishedAt)
        }
        return { tenants: report.tenants, rows: report.rows, tombstones: report.tombstones, finishedAt: finishedAt.toISOString() }
      })
      .catch((error: unknown) => {
        if (file() === startedFile) lastError = error instanceof Error ? error.message : String(error)
        throw error
      })
      .finally(() => {
        if (running === thisRun) running = null
      })
    running = thisRun
    return running
  }

  // A listener of the connection must not throw: the failure would end the process.
  function onChange(change: ConnectionChange): void {
    try {
      follow(change)
    } catch (error) {
      lastError = describeError(error)
      log(`the offline cache could not follow the connection change: ${lastError}`)
    }
  }

  function follow(change: ConnectionChange): void {
    if (closed) return
    const nextFile = cacheFileOf(change.target.id)
    if (change.target.id !== profileId || nextFile !== currentFile) {
      void stopWorker()
      closeReader()
      profileId = change.target.id
      currentFile = nextFile
      // The old login's run ends with its worker; "Sync now" must not join it.
      running = null
      lastRunAt = 0
      lastError = null
    }
    const synced = openReader()
    const at = synced ? lastSyncedAt(synced) : null
    if (at) backend.reportSync(new Date(at))
    liveConfig = change.config
    if (!liveConfig) {
      void stopWorker()
      return
    }
    ensureWorker(liveConfig)
    if (backend.settings.preferences().sync.enabled) run().catch(() => undefined)
  }

  // The interval is read from Settings at every tick, so a change there applies without a restart.
  const timer = setInterval(() => {
    if (closed || !liveConfig) return
    const { enabled, intervalMinutes } = backend.settings.preferences().sync
    if (enabled && !running && Date.now() - lastRunAt >= intervalMinutes * 60_000) run().catch(() => undefined)
  }, options.tickMs ?? 5_000)
  timer.unref()

  const unsubscribeChange = backend.onConnectionChange(onChange)
  const unsubscribeRemove = backend.connections.onRemove((identity) => {
    const removed = cacheFilePath(backend.dataDir, identity)
    // The active connection may use the same login (another profile, DATABASE_URL): its file stays.
    if (removed !== currentFile) deleteCache(removed)
  })

  const cache: OfflineCache = {
    reader: openReader,
    status() {
      const reader = openReader()
      const count = (table: string) => (reader ? (reader.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) : 0)
      const syncedAt = reader ? lastSyncedAt(reader) : null
      // Another console on this data directory may have synced since: the status bar follows the file.
      if (syncedAt && syncedAt !== backend.status().lastSyncAt) backend.reportSync(new Date(syncedAt))
      return {
        profileId,
        exists: reader !== null,
        lastSyncAt: syncedAt,
        running: running !== null,
        rows: { executions: count('executions'), auditLogs: count('audit_logs'), usageRecords: count('usage_records') },
        lastError
      }
    },
    syncNow: run,
    async close() {
      closed = true
      clearInterval(timer)
      unsubscribeChange()
      unsubscribeRemove()
      await running?.catch(() => undefined)
      await stopWorker()
      closeReader()
    }
  }
  // The cache of the connection the backend started with is readable before its first status change.
  const initial = openReader()
  const initialSync = initial ? lastSyncedAt(initial) : null
  if (initialSync) backend.reportSync(new Date(initialSync))
  return cache
}
