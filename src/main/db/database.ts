import pg from 'pg'
import type { PoolClient } from 'pg'
import { RpcError } from '../../shared/rpc/errors'
import { clientClassFor, toClientConfig } from './connection'
import { toRpcError } from './errors'
import type { ConnectionConfig, Database } from './types'

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface DatabaseOptions {
  /** Server-side limit per statement (connection startup parameter, never a SET). */
  statementTimeoutMs?: number
  idleInTransactionTimeoutMs?: number
  connectTimeoutMs?: number
  maxConnections?: number
  /** Told about errors of idle pooled connections (server restart, network drop). */
  onIdleError?: (error: RpcError) => void
  /**
   * Told when a transaction failed because the database could not be reached (OFFLINE), so the
   * console can check the connection at once instead of at its next heartbeat.
   */
  onConnectionLost?: (error: RpcError) => void
}

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value)
}

async function inTransaction<T>(pool: pg.Pool, prepare: (client: PoolClient) => Promise<unknown>, fn: (client: PoolClient) => Promise<T>, onLost?: (error: RpcError) => void): Promise<T> {
  const fail = (error: unknown): RpcError => {
    const mapped = toRpcError(error)
    if (mapped.code === 'OFFLINE') onLost?.(mapped)
    return mapped
  }
  let client: PoolClient
  try {
    client = await pool.connect()
  } catch (error) {
    throw fail(error)
  }
  let broken = false
  // pg-pool listens only on idle clients. A server that ends the session while this one is
  // checked out (restart, pg_terminate_backend, network drop) makes the client emit 'error'
  // after the query rejects; unheard, that event would crash the process.
  const onError = () => {
    broken = true
  }
  client.on('error', onError)
  try {
    await client.query('BEGIN')
    await prepare(client)
    const result = await fn(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    try {
      await client.query('ROLLBACK')
    } catch {
      // The connection is unusable (server gone, socket closed): do not return it to the pool.
      broken = true
    }
    throw fail(error)
  } finally {
    // A broken client keeps its listener: it is discarded, and its 'error' may still arrive.
    if (!broken) client.off('error', onError)
    client.release(broken)
  }
}

/**
 * The console's pool. withTenant/withPlatform are the only ways to a client: each runs `fn` in
 * one transaction, and the tenant setting is transaction-local, so it ends with the transaction
 * and can never reach the next user of the pooled connection.
 */
export function createDatabase(config: ConnectionConfig, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    ...toClientConfig(config),
    Client: clientClassFor(config),
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    max: options.maxConnections ?? 10
  })
  // An idle client's socket error must not become an uncaught 'error' event (it would crash the
  // main process); the pool discards that client by itself.
  pool.on('error', (error) => options.onIdleError?.(toRpcError(error)))

  return {
    withTenant(tenantId, fn) {
      if (!isTenantId(tenantId)) {
        return Promise.reject(new RpcError('BAD_INPUT', 'The tenant id must be a UUID.', { issues: [{ path: 'tenantId', message: 'must be a UUID' }] }))
      }
      return inTransaction(pool, (client) => client.query(`select set_config('app.current_tenant_id', $1, true)`, [tenantId]), fn, options.onConnectionLost)
    },
    withPlatform(fn) {
      return inTransaction(pool, async () => undefined, fn, options.onConnectionLost)
    },
    async close() {
      await pool.end()
    }
  }
}
