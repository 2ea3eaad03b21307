import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcError } from '../../src/shared/rpc/errors'
import { testLogin } from '../../src/main/profiles/login-test'
import { startEmbeddedServer, type EmbeddedServer } from '../helpers/embedded-pg'

/** On the demo's PostgreSQL (embedded PG 18), which checks every password with scram-sha-256. */
describe('connections.test against a server that checks passwords (scram-sha-256)', () => {
  let server: EmbeddedServer
  beforeAll(async () => {
    server = await startEmbeddedServer()
  })
  afterAll(async () => {
    await server?.stop()
  })

  const params = () => ({ host: server.host, port: server.port, database: 'postgres', user: server.adminUser, sslMode: 'disable' as const })

  it('logs in with the right password and reports the server version and session user', async () => {
    // The bare server's own database: a login, not a console database.
    const result = await testLogin({ ...params(), password: server.adminPassword }, { requireSchema: false })
    expect(result.sessionUser).toBe('postgres')
    expect(result.serverVersion).toMatch(/^18\./)
  })

  it('refuses a wrong password with a typed UNAUTHORIZED error that does not quote it', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`
    const error = await testLogin({ ...params(), password: wrong }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).code).toBe('UNAUTHORIZED')
    expect((error as RpcError).message).toMatch(/refused the user name or password for "postgres"/)
    expect((error as RpcError).message).not.toContain(wrong)
  })

  it('refuses a login without a password', async () => {
    const error = await testLogin(params()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).code).toBe('UNAUTHORIZED')
    expect((error as RpcError).message).toMatch(/asks for a password, and none is stored/)
  })
})
