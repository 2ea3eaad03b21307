import { RpcError } from '../../shared/rpc/errors'
import type { ConnectionTestResult } from '../../shared/rpc/areas/connections'
import { createClient } from '../db/connection'
import { toRpcError } from '../db/errors'
import type { ConnectionConfig } from '../db/types'

const LOGIN_TIMEOUT_MS = 10_000

/**
 * "Test connection": logs in with the given parameters, asks who we are, checks that the console's
 * schema is there (unless `requireSchema` is false: a bare server login), and logs out. Each class of failure becomes a typed error naming its cause
 * (`connectionFailure`), which the screen words in the chosen language; none quotes the password.
 */
export async function testLogin(config: ConnectionConfig, options: { timeoutMs?: number; requireSchema?: boolean } = {}): Promise<ConnectionTestResult> {
  const started = performance.now()
  const client = createClient(config, { connectionTimeoutMillis: options.timeoutMs ?? LOGIN_TIMEOUT_MS })
  client.on('error', () => {
    // A connection lost after login surfaces as the failure of the query below.
  })
  let row: { server_version: string; session_user: string; has_schema: boolean }
  try {
    await client.connect()
    const { rows } = await client.query<{ server_version: string; session_user: string; has_schema: boolean }>(
      `select current_setting('server_version') as server_version, session_user::text as session_user,
              to_regprocedure('app.my_groups()') is not null as has_schema`
    )
    row = rows[0]!
  } catch (error) {
    throw explainLoginFailure(error, config)
  } finally {
    await client.end().catch(() => undefined)
  }
  if (!row.has_schema && options.requireSchema !== false) {
    throw new RpcError('NOT_FOUND', `The database "${config.database}" on ${config.host}:${config.port} has no console schema: run \`npm run migrate\` against it, or choose the console's database.`, {
      connectionFailure: 'missingSchema'
    })
  }
  return { serverVersion: row.server_version, sessionUser: row.session_user, latencyMs: Math.round(performance.now() - started) }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL'])
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'])

/** A failed login (or first query) as a typed error saying what to fix; also used for the live connection. */
export function explainLoginFailure(error: unknown, config: ConnectionConfig): RpcError {
  if (error instanceof RpcError && error.code !== 'OFFLINE' && error.code !== 'UNAUTHORIZED') return error
  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : ''
  const where = `${config.host}:${config.port}`
  if (code === '28P01' || code === '28000') {
    return new RpcError('UNAUTHORIZED', `${where} refused the user name or password for "${config.user}".`, { connectionFailure: 'authentication' })
  }
  if (config.password === undefined && /password must be a string|SASL/i.test(message)) {
    return new RpcError('UNAUTHORIZED', `${where} asks for a password, and none is stored for "${config.user}".`, { connectionFailure: 'authentication' })
  }
  if (code === '3D000') return new RpcError('NOT_FOUND', `${where} has no database named "${config.database}".`, { connectionFailure: 'missingDatabase' })
  if (code === '42501') {
    return new RpcError('FORBIDDEN', `"${config.user}" may not connect to the database "${config.database}" on ${where} (no CONNECT privilege).`, { connectionFailure: 'permission' })
  }
  if (typeof code === 'string' && DNS_CODES.has(code)) {
    return new RpcError('OFFLINE', `The host name "${config.host}" could not be found (DNS).`, { connectionFailure: 'dns' })
  }
  if (typeof code === 'string' && REFUSED_CODES.has(code)) {
    return new RpcError('OFFLINE', `Nothing accepts connections at ${where} (is the host, port and firewall right, and the server running?).`, { connectionFailure: 'refused' })
  }
  if (/SSL|TLS|certificate|self[- ]signed/i.test(message)) {
    return new RpcError('INVALID', `The TLS handshake with ${where} failed (SSL mode "${config.sslMode}"): ${tlsReason(message)}.`, { connectionFailure: 'tls' })
  }
  if (code === 'ETIMEDOUT' || /timeout expired|connection timeout|timed out/i.test(message)) {
    return new RpcError('TIMEOUT', `${where} did not answer in time (a firewall dropping packets, or a server too busy to accept).`, { connectionFailure: 'timeout' })
  }
  const mapped = toRpcError(error)
  // Closed to new sessions, starting up or shutting down, or out of connection slots: it passes.
  if (code === '57P03' || code === '53300' || (code === '55000' && mapped.code === 'OFFLINE')) {
    return new RpcError('OFFLINE', `${where} is not accepting connections to "${config.database}" right now.`, { connectionFailure: 'notAccepting' })
  }
  if (mapped.code === 'OFFLINE' || mapped.code === 'TIMEOUT') {
    return new RpcError(mapped.code, `${where} does not answer (is the host, port and firewall right?).`)
  }
  return mapped
}

/** Node's TLS messages name the problem (expired, self-signed, host mismatch) and hold no secret. */
function tlsReason(message: string): string {
  return message.replace(/\s+/g, ' ').slice(0, 200)
}
