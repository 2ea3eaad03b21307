import { RpcError } from '../../shared/rpc/errors'
import type { ConnectionTestResult } from '../../shared/rpc/areas/connections'
import { createClient } from '../db/connection'
import { toRpcError } from '../db/errors'
import type { ConnectionConfig } from '../db/types'

const LOGIN_TIMEOUT_MS = 10_000

/**
 * "Test connection": logs in with the given parameters, asks who we are, and logs out. Login
 * problems become typed errors that say what to fix; none quotes the password.
 */
export async function testLogin(config: ConnectionConfig): Promise<ConnectionTestResult> {
  const started = performance.now()
  const client = createClient(config, { connectionTimeoutMillis: LOGIN_TIMEOUT_MS })
  client.on('error', () => {
    // A connection lost after login surfaces as the failure of the query below.
  })
  try {
    await client.connect()
    const { rows } = await client.query<{ server_version: string; session_user: string }>(
      `select current_setting('server_version') as server_version, session_user::text as session_user`
    )
    const row = rows[0]!
    return { serverVersion: row.server_version, sessionUser: row.session_user, latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    throw explainLoginFailure(error, config)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** A failed login (or first query) as a typed error saying what to fix; also used for the live connection. */
export function explainLoginFailure(error: unknown, config: ConnectionConfig): RpcError {
  if (error instanceof RpcError && error.code !== 'OFFLINE' && error.code !== 'UNAUTHORIZED') return error
  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : ''
  const where = `${config.host}:${config.port}`
  if (code === '28P01' || code === '28000') {
    return new RpcError('UNAUTHORIZED', `${where} refused the user name or password for "${config.user}".`)
  }
  if (config.password === undefined && /password must be a string|SASL/i.test(message)) {
    return new RpcError('UNAUTHORIZED', `${where} asks for a password, and none is stored for "${config.user}".`)
  }
  if (code === '3D000') return new RpcError('NOT_FOUND', `${where} has no database named "${config.database}".`)
  if (/SSL|certificate|self[- ]signed/i.test(message)) {
    return new RpcError('INVALID', `The TLS handshake with ${where} failed (SSL mode "${config.sslMode}"): ${tlsReason(message)}.`)
  }
  const mapped = toRpcError(error)
  if (mapped.code === 'OFFLINE' || mapped.code === 'TIMEOUT') {
    return new RpcError(mapped.code, `${where} does not answer (is the host, port and firewall right?).`)
  }
  return mapped
}

/** Node's TLS messages name the problem (expired, self-signed, host mismatch) and hold no secret. */
function tlsReason(message: string): string {
  return message.replace(/\s+/g, ' ').slice(0, 200)
}
