import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/main/db/database'
import { toRpcError } from '../../src/main/db/errors'
import { migrate } from '../../src/main/db/migrate'
import { createOperator } from '../../src/main/db/operators'
import type { ConnectionConfig } from '../../src/main/db/types'
import { createActiveConnection, type ActiveConnection, type ActiveConnectionDeps, type ConnectionTarget } from '../../src/main/profiles/active-connection'
import { testLogin } from '../../src/main/profiles/login-test'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { connectClient, testDb } from '../helpers/db'
import { dropTestDatabase, type TestDatabase } from '../setup/global-db'

/*
 * Issue 15, "honest connection status": the live connection against a database of its own (so
 * closing it to new sessions touches no other test) in the run's PostgreSQL, with real outages:
 * ALLOW_CONNECTIONS false and every session terminated.
 */
const id = randomBytes(4).toString('hex')
const db = testDb()
const rolePrefix = `${db.rolePrefix}_out${id}`
const database = `avia_outage_${id}`
const target: TestDatabase = { ...db, url: '', database, rolePrefix }
const superConfig: ConnectionConfig = { host: db.host, port: db.port, database, user: db.adminUser, ...(db.adminPassword ? { password: db.adminPassword } : {}), sslMode: 'disable' }
let operator: ConnectionConfig
let admin: pg.Client
const connections: ActiveConnection[] = []

beforeAll(async () => {
  const server = await connectClient({ ...superConfig, database: 'postgres' })
  try {
    await server.query(`create database ${database}`)
  } finally {
    await server.end()
  }
  await migrate(superConfig, { rolePrefix })
  admin = await connectClient({ ...superConfig, database: 'postgres' })
  const name = `${rolePrefix}_lucia`
  const password = randomBytes(18).toString('base64url')
  const inDatabase = await connectClient(superConfig)
  try {
    await createOperator(inDatabase, { name, groups: ['support'], password })
  } finally {
    await inDatabase.end()
  }
  operator = { ...superConfig, user: name, password }
}, 120_000)

afterEach(async () => {
  await admin.query(`alter database ${database} allow_connections true`)
})

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()))
  await admin?.end()
  await dropTestDatabase(target)
})

const TARGET: ConnectionTarget = { id: 'outage', name: 'Outage test', kind: 'env' }

function connect(options: Partial<Pick<ActiveConnectionDeps, 'heartbeatMs' | 'reconnectMaxMs' | 'reconnectInitialMs'>>): ActiveConnection {
  const connection = createActiveConnection(TARGET, {
    open: async () => ({ config: operator }),
    verifyLogin: testLogin,
    createDatabase,
    emit: () => {},
    log: () => {},
    ...options
  })
  connections.push(connection)
  return connection
}

/** Closes the database to new sessions and ends every session in it, as an operator of the server would. */
async function refuseAndTerminate(): Promise<void> {
  await admin.query(`alter database ${database} allow_connections false`)
  await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [database])
}

async function waitFor(connection: ActiveConnection, state: ConnectionStatus['state'], withinMs: number): Promise<number> {
  const started = Date.now()
  while (connection.status().state !== state) {
    if (Date.now() - started > withinMs) throw new Error(`still ${connection.status().state} after ${withinMs} ms (${connection.status().message ?? ''}), expected ${state}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return Date.now() - started
}

describe('the live connection through an outage', () => {
  it('turns offline as soon as its sessions are ended, not at the next heartbeat, and says it retries', async () => {
    // A heartbeat far away: only the lost sessions themselves can tell the connection in time.
    const connection = connect({ heartbeatMs: 120_000, reconnectMaxMs: 1000 })
    expect((await connection.activate(TARGET)).state).toBe('online')
    await refuseAndTerminate()
    const tookMs = await waitFor(connection, 'offline', 5_000)
    expect(tookMs).toBeLessThan(5_000)
    expect(connection.status().message).toMatch(/not accepting connections.*Reconnecting in \d+ s/s)
    expect(connection.status().message).not.toMatch(/Unexpected database error/)
  })

  it('comes back by itself once the database accepts connections again', async () => {
    const connection = connect({ heartbeatMs: 120_000, reconnectMaxMs: 1000 })
    await connection.activate(TARGET)
    await refuseAndTerminate()
    await waitFor(connection, 'offline', 5_000)
    // Several refused attempts: the retries keep going (refused is an outage that passes, not a verdict).
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(connection.status().state).toBe('offline')
    await admin.query(`alter database ${database} allow_connections true`)
    await waitFor(connection, 'online', 10_000)
    expect(connection.status().operator).toBe(operator.user)
    expect(connection.db).not.toBeNull()
  })

  it('"Reconnect now" tries at once instead of waiting out the pause', async () => {
    // The first pause after a failure is a minute: only "Reconnect now" brings it back within the test.
    const connection = connect({ heartbeatMs: 120_000, reconnectInitialMs: 60_000, reconnectMaxMs: 60_000 })
    await connection.activate(TARGET)
    await refuseAndTerminate()
    await waitFor(connection, 'offline', 5_000)
    // A minute, give or take its jitter.
    expect(Number(/Reconnecting in (\d+) s/.exec(connection.status().message ?? '')?.[1])).toBeGreaterThan(40)
    await admin.query(`alter database ${database} allow_connections true`)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(connection.status().state).toBe('offline')
    const started = Date.now()
    expect((await connection.reconnectNow()).state).toBe('online')
    expect(Date.now() - started).toBeLessThan(5_000)
    // Online, it checks the connection and stays online.
    expect((await connection.reconnectNow()).state).toBe('online')
  })
})

describe('what a refused session is called', () => {
  it('a database closed to new sessions is an outage (OFFLINE, retried), a state-machine refusal is not', () => {
    const refused = toRpcError({ code: '55000', message: `database "${database}" is not currently accepting connections` })
    expect(refused).toMatchObject({ code: 'OFFLINE', retryable: true })
    expect(toRpcError({ code: '55000', message: 'illegal transition', detail: 'in_review' })).toMatchObject({ code: 'CONFLICT', retryable: false })
  })
})
