import type { ServerEvent } from '../../shared/events'
import { RpcError } from '../../shared/rpc/errors'
import type { ConnectionStatus } from '../../shared/rpc/areas/system'
import { toRpcError } from '../db/errors'
import { createBackoff } from '../db/reconnect'
import { describeError } from '../rpc/describe-error'
import type { OperatorGroup } from '../db/operators'
import type { ConnectionConfig, Database } from '../db/types'
import type { DatabaseOptions } from '../db/database'

/** What the console is (or should be) connected to. */
export interface ConnectionTarget {
  id: string
  name: string
  kind: 'demo' | 'env' | 'profile'
  /** The embedded demo only: whose demo operator signs in (the operator switch); admin by default. */
  demoGroup?: OperatorGroup
}

/** A target made ready to connect; `release` undoes what opening it started (the demo's server). */
export interface OpenedTarget {
  config: ConnectionConfig
  release?: () => Promise<void>
}

export interface ActiveConnectionDeps {
  open(target: ConnectionTarget): Promise<OpenedTarget>
  /** Logs in once before the pool is made, so a failure says precisely what is wrong. */
  verifyLogin(config: ConnectionConfig): Promise<unknown>
  /** The pool; `options` tell the connection when a session was lost, so it checks at once. */
  createDatabase(config: ConnectionConfig, options: Pick<DatabaseOptions, 'onIdleError' | 'onConnectionLost'>): Database
  emit(event: ServerEvent): void
  log(line: string): void
  /** Longest pause between attempts while the database cannot be reached (the pause doubles up to it). */
  reconnectMaxMs?: number
  /** The first pause (default 1 s). */
  reconnectInitialMs?: number
  /** Pause between liveness checks while online. */
  heartbeatMs?: number
  /** A liveness check that has not answered by then counts as a lost connection (a dead peer never answers). */
  heartbeatTimeoutMs?: number
}

export interface ConnectionChange {
  target: ConnectionTarget
  state: ConnectionStatus['state']
  db: Database | null
  /** The live connection's settings, password included (memory only); non-null exactly when online. */
  config: ConnectionConfig | null
}

export interface ActiveConnection {
  readonly db: Database | null
  readonly target: ConnectionTarget
  status(): ConnectionStatus
  /** Switches to `target` and resolves once the first attempt settled (online or offline). */
  activate(target: ConnectionTarget): Promise<ConnectionStatus>
  reportSync(at: Date): void
  onChange(listener: (change: ConnectionChange) => void): () => void
  /**
   * "Reconnect now": while not online, the next attempt happens now (the pause starts over);
   * while online, the connection is checked now. Resolves with the status after it.
   */
  reconnectNow(): Promise<ConnectionStatus>
  close(): Promise<void>
}

interface Live {
  db: Database
  config: ConnectionConfig
  release?: () => Promise<void>
}

/**
 * The one live database connection and its status. Every activation gets a generation number;
 * work finished for an older generation is undone instead of published, so switching profiles
 * quickly never leaves two pools (or two demo servers) behind. While the database cannot be
 * reached it retries with a growing pause; while online a heartbeat notices when it goes away.
 */
export function createActiveConnection(initial: ConnectionTarget, deps: ActiveConnectionDeps): ActiveConnection {
  const backoff = createBackoff({ maxMs: deps.reconnectMaxMs ?? 30_000, ...(deps.reconnectInitialMs !== undefined ? { initialMs: deps.reconnectInitialMs } : {}) })
  // A `select 1` every few seconds costs the server nothing, and is what turns the status offline
  // within seconds of an outage that no call happened to notice.
  const heartbeatMs = deps.heartbeatMs ?? 3_000
  const heartbeatTimeoutMs = deps.heartbeatTimeoutMs ?? 5_000
  const listeners = new Set<(change: ConnectionChange) => void>()
  let target = initial
  let generation = 0
  let live: Live | null = null
  let timer: NodeJS.Timeout | null = null
  let closed = false
  let inflight: Promise<void> = Promise.resolve()
  /** The attempt under way, if any: "Reconnect now" joins it rather than starting a second pool. */
  let attempting: Promise<void> | null = null
  /** The previous connection being shut down: an attempt waits for it (the demo's server must stop before it starts again). */
  let dropping: Promise<void> = Promise.resolve()
  let checking: Promise<void> | null = null
  let status: ConnectionStatus = baseStatus(initial, 'connecting')

  const publish = (next: ConnectionStatus) => {
    status = next
    deps.emit({ type: 'status', state: next.state, ...(next.message ? { message: next.message } : {}) })
    const online = next.state === 'online' ? live : null
    for (const listener of [...listeners]) listener({ target, state: next.state, db: online?.db ?? null, config: online?.config ?? null })
  }
  const schedule = (fn: () => void, ms: number) => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(fn, ms)
    timer.unref()
  }
  const drop = async () => {
    const previous = live
    live = null
    if (previous) dropping = shutDown(previous, deps.log)
    await dropping
  }

  /** Schedules the next attempt when the failure may pass by itself, and says when in the message. */
  function retryLater(failure: RpcError): string {
    if (!failure.retryable) return failure.message
    const own = generation
    const delay = backoff.next()
    schedule(() => (inflight = startAttempt(own)), delay)
    return `${failure.message} Reconnecting in ${Math.max(1, Math.round(delay / 1000))} s (attempt ${backoff.attempt}).`
  }

  function startAttempt(own: number): Promise<void> {
    if (attempting) return attempting
    const current = attempt(own).finally(() => {
      if (attempting === current) attempting = null
    })
    attempting = current
    return current
  }

  async function attempt(own: number): Promise<void> {
    let opened: OpenedTarget | null = null
    let db: Database | null = null
    try {
      await dropping
      if (own !== generation) return
      opened = await deps.open(target)
      if (own !== generation) return void (await opened.release?.())
      await deps.verifyLogin(opened.config)
      // A session lost between heartbeats (server stopped, sessions terminated) is checked at once.
      const lost = () => void checkNow(own)
      db = deps.createDatabase(opened.config, { onIdleError: lost, onConnectionLost: lost })
      const identity = await readIdentity(db)
      if (own !== generation) return void (await shutDown({ db, config: opened.config, release: opened.release }, deps.log))
      live = { db, config: opened.config, ...(opened.release ? { release: opened.release } : {}) }
      backoff.reset()
      publish({ ...baseStatus(target, 'online'), lastSyncAt: status.lastSyncAt, ...identity })
      schedule(() => void heartbeat(own), heartbeatMs)
    } catch (error) {
      if (db) await db.close().catch(() => undefined)
      if (opened?.release) await opened.release().catch(() => undefined)
      if (own !== generation) return
      const failure = error instanceof RpcError ? error : toRpcError(error)
      if (failure.code === 'INTERNAL') deps.log(`connection to ${target.name} failed: ${describeError(error)}`)
      publish({ ...baseStatus(target, 'offline'), lastSyncAt: status.lastSyncAt, message: retryLater(failure) })
    }
  }

  /** A heartbeat now, unless one is under way (many failing calls at once ask once). */
  function checkNow(own: number): Promise<void> {
    if (!checking) checking = heartbeat(own).finally(() => (checking = null))
    return checking
  }

  async function heartbeat(own: number): Promise<void> {
    if (own !== generation || !live || status.state !== 'online') return
    const { db } = live
    try {
      await withTimeout(db.withPlatform((client) => client.query('select 1')), heartbeatTimeoutMs)
      if (own === generation && live?.db === db) schedule(() => void checkNow(own), heartbeatMs)
    } catch (error) {
      if (own !== generation || live?.db !== db) return
      const failure = toRpcError(error)
      // A check that failed for its own reason (not the connection) is not an outage: check again soon.
      if (failure.code !== 'OFFLINE' && failure.code !== 'TIMEOUT') {
        schedule(() => void checkNow(own), heartbeatMs)
        return
      }
      // Offline first, so the screens know at once; the old pool closes while the retry waits.
      const previous = live
      live = null
      dropping = shutDown(previous, deps.log)
      publish({ ...status, state: 'offline', message: retryLater(failure) })
    }
  }

  return {
    get db() {
      return live?.db ?? null
    },
    get target() {
      return target
    },
    status: () => status,
    async reconnectNow() {
      if (closed) throw new RpcError('OFFLINE', 'The console is shutting down.')
      const own = generation
      if (status.state === 'online') {
        await checkNow(own)
        return status
      }
      // Connecting: an attempt is under way (or about to be); join it.
      if (!attempting) {
        if (timer) clearTimeout(timer)
        backoff.reset()
        const { message: _previousFailure, ...rest } = status
        publish({ ...rest, state: 'connecting' })
      }
      inflight = startAttempt(own)
      await inflight
      return status
    },
    async activate(next) {
      if (closed) throw new RpcError('OFFLINE', 'The console is shutting down.')
      const own = ++generation
      if (timer) clearTimeout(timer)
      backoff.reset()
      // Target and status change before any await: an overlapping activation sees them settled.
      target = next
      publish({ ...baseStatus(next, 'connecting'), lastSyncAt: null })
      await drop()
      if (own !== generation) return status // a newer activation took over
      inflight = startAttempt(own)
      await inflight
      return status
    },
    reportSync(at) {
      // Only forward: a late report of an older sync must not hide a newer one.
      if (status.lastSyncAt === null || at.toISOString() > status.lastSyncAt) status = { ...status, lastSyncAt: at.toISOString() }
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      closed = true
      generation++
      if (timer) clearTimeout(timer)
      // An attempt still starting the demo server undoes its own work once it sees the new generation.
      await inflight
      await drop()
    }
  }
}

function baseStatus(target: ConnectionTarget, state: ConnectionStatus['state']): ConnectionStatus {
  return { state, profileId: target.id, profileName: target.name, demo: target.kind === 'demo', lastSyncAt: null, operator: null, groups: [] }
}

/** Who the server says we are: the actor of every audit row is this session user. */
async function readIdentity(db: Database): Promise<{ operator: string; groups: string[] }> {
  const { rows } = await db.withPlatform((client) =>
    client.query<{ operator: string; groups: string[] }>('select session_user::text as operator, app.my_groups() as groups')
  )
  const row = rows[0]!
  return { operator: row.operator, groups: row.groups }
}

/** Rejects with TIMEOUT when `promise` has not settled within `ms` (its own work goes on, unawaited). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RpcError('TIMEOUT', 'The database did not answer the liveness check.')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** How long closing a pool may take: a session stuck on a dead peer would hold pool.end() forever. */
const POOL_CLOSE_TIMEOUT_MS = 5_000

async function shutDown(live: Live, log: (line: string) => void): Promise<void> {
  await withTimeout(live.db.close(), POOL_CLOSE_TIMEOUT_MS).catch((error: unknown) => log(`closing the database pool failed: ${describeError(error)}`))
  await live.release?.().catch((error: unknown) => log(`stopping the demo database failed: ${describeError(error)}`))
}
