import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { ServerEvent } from '../../src/shared/events'
import type { RpcResult } from '../../src/shared/rpc/errors'
import { createBackend, type BackendHandle } from '../../src/main/backend'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import { createKeychainStore } from '../../src/main/secrets/secret-store'
import { waitForWatermark } from '../../src/main/cache/sync/pull'
import { withAdmin, type TestOperator } from '../helpers/db'

export { fillScreensData } from './screens-data'

export type Call = (name: string, input: unknown) => Promise<RpcResult<unknown>>

export interface ScreensConsole {
  handle: BackendHandle
  events: ServerEvent[]
  call: Call
  /** Calls and expects success. */
  ok<T>(name: string, input: unknown): Promise<T>
  dataDir: string
  close(): Promise<void>
}

/**
 * The real backend (keychain, settings, pool as the operator, offline cache and its sync worker),
 * behind the real dispatcher, so every call goes through the procedure table's schemas.
 */
export async function startScreensConsole(databaseUrl: string, dataDir?: string): Promise<ScreensConsole> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'avc-screens-')))
  const events: ServerEvent[] = []
  const handle = await createBackend({
    dataDir: dir,
    databaseUrl,
    onEvent: (event) => events.push(event),
    secrets: createKeychainStore(`avc-screens-${randomBytes(4).toString('hex')}`),
    log: () => {}
  })
  await handle.ready
  const emit = (event: ServerEvent) => events.push(event)
  const dispatch = createDispatcher(handlers, () => ({ backend: handle.backend, emit }), { logInternal: (name, detail) => console.error(name, detail) })
  const call: Call = (name, input) => dispatch(name, input)
  return {
    handle,
    events,
    call,
    dataDir: dir,
    async ok<T>(name: string, input: unknown) {
      const result = await call(name, input)
      if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
      return result.value as T
    },
    async close() {
      await handle.close()
      if (!dataDir) await rm(dir, { recursive: true, force: true })
    }
  }
}

export function operatorUrl(operator: TestOperator): string {
  const { host, port, database } = operator.config
  return `postgresql://${encodeURIComponent(operator.name)}:${encodeURIComponent(operator.password)}@${host}:${port}/${database}?sslmode=disable`
}

/**
 * "Sync now" through the procedure: the sync worker fills the cache as the operator (RLS applies).
 * The sync only takes rows below the server's snapshot watermark, which any transaction still open
 * in the cluster holds back (the test server is shared: a long bulk load elsewhere holds it for a
 * while), so first wait until everything written so far is below it.
 */
export async function syncCache(console: ScreensConsole): Promise<void> {
  await withAdmin((admin) => waitForWatermark(admin, 170_000))
  // The first call may join a sync that started before the wait; the second starts after it.
  await console.ok('sync.now', {})
  await console.ok('sync.now', {})
}

export interface SyncedConsoles {
  online: ScreensConsole
  /**
   * A second console on the same data directory, as the same role on the same server and database
   * (the cache belongs to that login), that cannot log in: it asks for TLS with a verified
   * certificate, which the test server does not have. Offline mode, reading what `online` synced.
   */
  offline: ScreensConsole
  close(): Promise<void>
}

/** A console as the operator with its cache synced, and an offline one reading that cache. */
export async function startSyncedConsoles(operator: TestOperator): Promise<SyncedConsoles> {
  const online = await startScreensConsole(operatorUrl(operator))
  try {
    await syncCache(online)
    const offline = await startScreensConsole(operatorUrl(operator).replace('sslmode=disable', 'sslmode=verify-full'), online.dataDir)
    return {
      online,
      offline,
      async close() {
        await offline.close()
        await online.close()
      }
    }
  } catch (error) {
    await online.close()
    throw error
  }
}

/** Follows nextCursor to the end. */
export async function allPages<R>(ok: ScreensConsole['ok'], name: string, input: Record<string, unknown>): Promise<{ rows: R[]; sources: string[] }> {
  const rows: R[] = []
  const sources: string[] = []
  let cursor: string | null = null
  do {
    const page: { rows: R[]; nextCursor: string | null; source: string } = await ok(name, { ...input, cursor })
    rows.push(...page.rows)
    sources.push(page.source)
    cursor = page.nextCursor
  } while (cursor !== null)
  return { rows, sources }
}
