import pg, { type ClientConfig } from 'pg'
import { RpcError } from '../../shared/rpc/errors'
import type { ConnectionConfig } from './types'

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * node-postgres has no "prefer": it either speaks TLS or not. Loopback connections cannot be
 * intercepted, so "prefer" goes plain there and encrypted (without CA check) anywhere else.
 */
function sslOption(config: ConnectionConfig): ClientConfig['ssl'] {
  switch (config.sslMode) {
    case 'disable':
      return false
    case 'prefer':
      return LOOPBACK_HOSTS.has(config.host) ? false : { rejectUnauthorized: false }
    case 'require':
      return { rejectUnauthorized: false }
    case 'verify-full':
      return { rejectUnauthorized: true }
  }
}

export function toClientConfig(config: ConnectionConfig): ClientConfig {
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    ...(config.password !== undefined ? { password: config.password } : {}),
    ssl: sslOption(config),
    application_name: 'avia-console'
  }
}

/**
 * A server may ask for the password in clear text (AuthenticationCleartextPassword), and
 * node-postgres answers any such request. Unless the server's certificate was verified
 * (verify-full), whoever answers at that address would receive the password itself, where SCRAM
 * and MD5 give it only a proof. This client refuses the request before the password leaves.
 */
class NoCleartextPasswordClient extends pg.Client {
  // node-postgres's handler for that request; test/db/cleartext-password.test.ts fails if it is renamed.
  _handleAuthCleartextPassword(): void {
    this.connection.emit(
      'error',
      new RpcError(
        'INVALID',
        `${this.host}:${this.port} asked for the password in clear text over a connection whose server is not verified; the console does not send it. ` +
          'Use SSL mode "verify-full", or have the server use scram-sha-256.'
      )
    )
  }
}

/** The node-postgres client class for a connection (what pg.Pool's `Client` option takes). */
export function clientClassFor(config: ConnectionConfig): typeof pg.Client {
  return config.sslMode === 'verify-full' ? pg.Client : NoCleartextPasswordClient
}

/** A client for one connection, refusing clear-text password requests as clientClassFor says. */
export function createClient(config: ConnectionConfig, extra: ClientConfig = {}): pg.Client {
  const Client = clientClassFor(config)
  return new Client({ ...toClientConfig(config), ...extra })
}

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-full'] as const

/** Parses a postgres:// URL (DATABASE_URL) into the console's connection settings. */
export function parseDatabaseUrl(url: string): ConnectionConfig {
  const parsed = new URL(url)
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const sslmode = parsed.searchParams.get('sslmode') ?? 'prefer'
  // Anything else (verify-ca, allow, a typo) is refused rather than read as a weaker mode.
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) throw new Error(`sslmode must be one of ${SSL_MODES.join(', ')}`)
  const sslMode = sslmode as ConnectionConfig['sslMode']
  return {
    host: decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, '')) || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(parsed.username) || 'postgres',
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    sslMode
  }
}
