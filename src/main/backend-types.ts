import type { OfflineCache } from './cache/offline-cache'
import type { Database } from './db/types'
import type { ExportJobs } from './exports/jobs'
import type { MaintenanceRunner } from './maintenance/runner'
import type { ChooseSaveFile } from './exports/save'
import type { ConnectionStatus } from '../shared/rpc/areas/system'
import type { ConnectionChange } from './profiles/active-connection'
import type { Connections } from './profiles/connections'
import type { SecretStore } from './secrets/secret-store'
import type { SettingsStore } from './settings/store'

/**
 * Everything the handlers can reach. Built once per shell by createBackend (src/main/backend.ts);
 * the Electron shell and the browser-mode server wrap the same object.
 */
export interface Backend {
  /** Null while connecting or offline. Handlers that need it throw RpcError('OFFLINE'). */
  readonly db: Database | null
  status(): ConnectionStatus
  /** "Reconnect now": the next attempt at once while not online, a liveness check while online. */
  reconnect(): Promise<ConnectionStatus>
  dataDir: string
  settings: SettingsStore
  /** The OS keychain; nothing secret is kept anywhere else. */
  secrets: SecretStore
  /** Connection profiles, the demo database and DATABASE_URL; switching between them. */
  connections: Connections
  /** Told on every status change and switch of database (the offline cache follows it). */
  onConnectionChange(listener: (change: ConnectionChange) => void): () => void
  /** The offline cache reports each completed sync; system.status shows its time. */
  reportSync(at: Date): void
  /** The active connection's offline cache: what lists read while offline, and the sync worker. */
  readonly offlineCache: OfflineCache
  /** The one export path: files written in the background, then downloaded or saved. */
  readonly exports: ExportJobs
  /** The Electron shell's native save dialog; null in browser mode, which downloads instead. */
  readonly chooseSaveFile: ChooseSaveFile | null
  /** The platform-wide jobs' scheduler (runs them while an all-tenants admin is online). */
  readonly maintenance: MaintenanceRunner
}
