import { randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freeLoopbackPort } from '../../src/main/demo/free-port'
import type { ConnectionConfig } from '../../src/main/db/types'
import { testLogin } from '../../src/main/profiles/login-test'
import { RpcError, type ConnectionFailure } from '../../src/shared/rpc/errors'
import { connectClient, makeOperator, testDb, type TestOperator } from '../helpers/db'
import { settingsCatalog } from '../../src/renderer/src/areas/Settings/messages'

/*
 * Issue 15, "errors that name the real cause": every class of connection failure, each against a
 * real server (the run's PostgreSQL, with scram-sha-256) or a real socket, gets its own class
 * (`connectionFailure`) and so its own sentence in both languages.
 */
const db = testDb()
const id = randomBytes(4).toString('hex')
const CLOSED_DB = `avia_noconnect_${id}`
const REFUSING_DB = `avia_refusing_${id}`
let operator: TestOperator
const servers: Server[] = []
const sockets = new Set<Socket>()

async function adminQuery(sql: string): Promise<void> {
  const admin = await connectClient({ host: db.host, port: db.port, database: 'postgres', user: db.adminUser, ...(db.adminPassword ? { password: db.adminPassword } : {}), sslMode: 'disable' })
  try {
    await admin.query(sql)
  } finally {
    await admin.end()
  }
}

/** A TCP server on loopback that does `onConnection` with each socket (and closes them at the end). */
async function socketServer(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    onConnection(socket)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

beforeAll(async () => {
  operator = await makeOperator(['support'])
  await adminQuery(`create database ${CLOSED_DB}`)
  await adminQuery(`revoke connect on database ${CLOSED_DB} from public`)
  await adminQuery(`create database ${REFUSING_DB}`)
  await adminQuery(`alter database ${REFUSING_DB} allow_connections false`)
})

afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  await adminQuery(`drop database if exists ${CLOSED_DB} with (force)`)
  await adminQuery(`alter database ${REFUSING_DB} allow_connections true`)
  await adminQuery(`drop database if exists ${REFUSING_DB} with (force)`)
})

async function failureOf(config: ConnectionConfig, options: { timeoutMs?: number } = {}): Promise<RpcError> {
  const error = await testLogin(config, options).then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(RpcError)
  return error as RpcError
}

const seen = new Map<ConnectionFailure, string>()
function expectClass(error: RpcError, failure: ConnectionFailure, code: RpcError['code']): void {
  expect({ failure: error.connectionFailure, code: error.code, message: error.message }).toMatchObject({ failure, code })
  seen.set(failure, error.message)
}

describe('connection testing names the cause of each failure', () => {
  it('authentication: a wrong password', async () => {
    const error = await failureOf({ ...operator.config, password: `wrong-${id}` })
    expectClass(error, 'authentication', 'UNAUTHORIZED')
    expect(error.message).not.toContain(`wrong-${id}`)
  })

  it('dns: a host name that does not exist', async () => {
    expectClass(await failureOf({ ...operator.config, host: `no-such-host-${id}.invalid` }), 'dns', 'OFFLINE')
  })

  it('refused: nothing listens on the port', async () => {
    expectClass(await failureOf({ ...operator.config, host: '127.0.0.1', port: await freeLoopbackPort() }), 'refused', 'OFFLINE')
  })

  it('tls: the server agrees to TLS, then does not speak it', async () => {
    // Answers the SSLRequest with 'S' (go ahead), then sends bytes that are no TLS record.
    const port = await socketServer((socket) => socket.once('data', () => socket.write(Buffer.concat([Buffer.from('S'), Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]))))
    expectClass(await failureOf({ ...operator.config, host: '127.0.0.1', port, sslMode: 'require' }), 'tls', 'INVALID')
  })

  it('timeout: the server accepts the connection and never answers', async () => {
    const port = await socketServer(() => {})
    expectClass(await failureOf({ ...operator.config, host: '127.0.0.1', port }, { timeoutMs: 500 }), 'timeout', 'TIMEOUT')
  })

  it('missingDatabase: no database by that name', async () => {
    expectClass(await failureOf({ ...operator.config, database: `no_such_db_${id}` }), 'missingDatabase', 'NOT_FOUND')
  })

  it('missingSchema: a database the console was never migrated into', async () => {
    const error = await failureOf({ host: db.host, port: db.port, database: 'postgres', user: db.adminUser, ...(db.adminPassword ? { password: db.adminPassword } : {}), sslMode: 'disable' })
    expectClass(error, 'missingSchema', 'NOT_FOUND')
  })

  it('permission: the role may not connect to the database', async () => {
    expectClass(await failureOf({ ...operator.config, database: CLOSED_DB }), 'permission', 'FORBIDDEN')
  })

  it('notAccepting: the database refuses new sessions (ALLOW_CONNECTIONS false)', async () => {
    expectClass(await failureOf({ ...operator.config, database: REFUSING_DB }), 'notAccepting', 'OFFLINE')
  })

  it('the console database itself still logs in', async () => {
    await expect(testLogin(operator.config)).resolves.toMatchObject({ sessionUser: operator.name })
  })

  it('gives every class its own server message and its own sentence in English and Spanish', () => {
    expect(seen.size).toBe(9)
    expect(new Set(seen.values()).size).toBe(9)
    for (const locale of ['en', 'es'] as const) {
      const sentences = [...seen.keys()].map((failure) => settingsCatalog[locale][`connections.failure.${failure}`])
      expect(new Set(sentences).size).toBe(9)
    }
  })
})
