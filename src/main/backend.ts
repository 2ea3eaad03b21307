import { mkdir } from 'node:fs/promises'
import type { ProgressEvent, ServerEvent } from '../shared/events'
import { RpcError } from '../shared/rpc/errors'
import type { ConnectionStatus } from '../shared/rpc/areas/system'
import type { Backend } from './backend-types'
import { startOfflineCache } from './cache/offline-cache'
import { startWatermarkWatch } from './cache/watermark-watch'
import { createDatabase } from './db/database'
import { createExportJobs } from './exports/jobs'
import { createMaintenanceRunner } from './maintenance/runner'
import type { ChooseSaveFile } from './exports/save'
import { DEMO_DATABASE, DEMO_OPERATORS, startEmbeddedDemo, type EmbeddedDemo } from './demo/embedded'
import { createActiveConnection, type ConnectionChange, type ConnectionTarget, type OpenedTarget } from './profiles/active-connection'
import { createConnections } from './profiles/connections'
import { databaseUrlConfig } from './profiles/database-url'
import { testLogin } from './profiles/login-test'
import { createProfileStore } from './profiles/profile-store'
import { redactSecrets } from './rpc/describe-error'
import { probeKeychain } from './secrets/probe'
import { createKeychainStore, type SecretStore } from './secrets/secret-store'
import { openSettingsStore, type SettingsStore } from './settings/store'

export interface BackendOptions {
  dataDir: string
  /** Browser mode: a real database instead of the saved profiles; its password stays in memory. */
  databaseUrl?: string
  onEvent(event: ServerEvent): void
  /** The Electron shell passes electron-store here; plain Node uses conf. */
  openSettings?: (dataDir: string) => SettingsStore
  secrets?: SecretStore
  log?: (line: string) => void
  /** The Electron shell's native save dialog, for exports; browser mode downloads instead. */
  chooseSaveFile?: ChooseSaveFile
  /** Cap of the pause between reconnection attempts (default 30 s); tests and e2e lower it. */
  reconnectMaxMs?: number
}

export interface BackendHandle {
  backend: Backend
  /** Settles (never rejects) once the first connection attempt is online or offline. */
  ready: Promise<ConnectionStatus>
  close(): Promise<void>
}

/**
 * Builds the backend both shells serve. Resolves quickly: settings loaded, keychain proven
 * (or KEYCHAIN_UNAVAILABLE thrown: the console fails closed), status 'connecting'. Connecting —
 * which for the embedded demo may mean creating, migrating and seeding it — goes on in the
 * background and is reported through onEvent (progress of kind 'startup', then status).
 */
export async function createBackend(options: BackendOptions): Promise<BackendHandle> {
  const { dataDir, onEvent } = options
  const log = options.log ?? ((line: string) => console.log(redactSecrets(line)))
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const secrets = options.secrets ?? createKeychainStore()
  await probeKeychain(secrets)
  const settings = (options.openSettings ?? openSettingsStore)(dataDir)
  const env = options.databaseUrl ? databaseUrlConfig(options.databaseUrl) : null
  const profiles = createProfileStore(settings, secrets)

  let demo: EmbeddedDemo | null = null
  /** A demo start (the first, a reconnection, or the operator switch) is showing its progress bar. */
  let demoStartupShown = false
  function reportDemoStartup(event: ProgressEvent): void {
    demoStartupShown = true
    onEvent(event)
  }
  const connections = createConnections({
    profiles,
    settings,
    secrets,
    env,
    active: () => active,
    demo: () => ({ port: demo?.port ?? null, database: DEMO_DATABASE, operators: DEMO_OPERATORS, logins: demo?.logins ?? null })
  })

  async function open(target: ConnectionTarget): Promise<OpenedTarget> {
    if (target.kind === 'env') {
      if (!env) throw new RpcError('NOT_FOUND', 'DATABASE_URL was not given to this console.')
      return { config: env }
    }
    if (target.kind === 'profile') return { config: await profiles.connectionConfig(target.id) }
    const started = await startEmbeddedDemo({ dataDir, secrets, onProgress: reportDemoStartup, log })
    demo = started
    return {
      config: started.logins[target.demoGroup ?? 'admin'],
      release: async () => {
        if (demo === started) demo = null
        await started.stop()
      }
    }
  }

  const active = createActiveConnection(connections.startTarget(), {
    open,
    verifyLogin: testLogin,
    createDatabase,
    emit: onEvent,
    log,
    ...(options.reconnectMaxMs !== undefined ? { reconnectMaxMs: options.reconnectMaxMs } : {})
  })

  const host = {
    dataDir,
    settings,
    connections,
    status: () => active.status(),
    reconnect: () => active.reconnectNow(),
    onConnectionChange: (listener: (change: ConnectionChange) => void) => active.onChange(listener),
    reportSync: (at: Date) => active.reportSync(at)
  }
  // Before the first activation, so the cache sees the first 'online' change.
  const offlineCache = startOfflineCache(host, { emit: onEvent, log })
  // A transaction open anywhere holds the sync back: the sync bar says so (and who) instead of waiting silently.
  const watermark = startWatermarkWatch({ db: () => active.db, emit: onEvent, log })
  // Only admins may run platform-wide jobs; the database refuses a one-tenant admin, and then the runner stops asking.
  const maintenance = createMaintenanceRunner({
    db: () => active.db,
    mayRun: () => active.status().state === 'online' && active.status().groups.includes('admin'),
    log,
    tickMs: 30_000
  })
  const backend: Backend = {
    ...host,
    get db() {
      return active.db
    },
    secrets,
    offlineCache,
    exports: createExportJobs(dataDir),
    chooseSaveFile: options.chooseSaveFile ?? null,
    maintenance
  }

  // Every demo start ends its progress bar once the connection has settled, whichever activation started it.
  active.onChange((change) => {
    if (!demoStartupShown || change.state === 'connecting') return
    demoStartupShown = false
    const { message } = active.status()
    onEvent({ type: 'progress', jobId: 'startup', kind: 'startup', label: change.state === 'online' ? 'Ready' : 'Failed', done: 1, total: 1, finished: true, ...(message ? { error: message } : {}) })
  })
  const ready = active.activate(active.target)

  return {
    backend,
    ready,
    async close() {
      maintenance.close()
      watermark.close()
      await offlineCache.close()
      await active.close()
    }
  }
}
