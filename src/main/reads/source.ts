import { RpcError } from '../../shared/rpc/errors'
import type { DataSource, DataSourceChoice, ListPage, Sourced } from '../../shared/rpc/list'
import type { Backend } from '../backend-types'
import type { CacheDb } from '../cache/db'
import { lastSyncedAt } from '../cache/last-synced'
import type { Database } from '../db/types'
import { decodeCacheCursor, decodeServerCursor, encodeCacheCursor, type ServerCursor } from './keyset'

/**
 * A server list without a tenant filter runs one query per visible tenant (with no tenant context
 * the row-level security policies return nothing). Past this many tenants that fan-out is refused:
 * 'auto' then answers from the offline cache, which holds every synced tenant side by side.
 */
export class TooManyTenants extends RpcError {
  constructor(count: number) {
    super('INVALID', `You can see ${count} tenants: choose a tenant to list from the database, or read the offline cache.`, {
      issues: [{ path: 'filter.tenantId', message: 'required when more than a few tenants are visible' }]
    })
  }
}

export interface Readers<T> {
  server(db: Database): Promise<T>
  cache(cache: CacheDb): T | Promise<T>
}

/** Which side answers: 'auto' is the server while online, the cache when offline or when the server cannot answer for a reason the cache can. */
export async function readFrom<T>(backend: Pick<Backend, 'db' | 'offlineCache'>, choice: DataSourceChoice, readers: Readers<T>): Promise<Sourced & { value: T }> {
  const db = backend.db
  if (choice === 'server' || (choice === 'auto' && db)) {
    if (!db) throw new RpcError('OFFLINE', 'The database cannot be reached; the offline cache can answer instead.')
    try {
      return { value: await readers.server(db), ...sourced('server', null) }
    } catch (error) {
      const fallback = choice === 'auto' && error instanceof RpcError && (error.code === 'OFFLINE' || error instanceof TooManyTenants)
      const cache = fallback ? backend.offlineCache.reader() : null
      if (!cache) throw error
      return { value: await readers.cache(cache), ...sourced('cache', cache) }
    }
  }
  const cache = backend.offlineCache.reader()
  if (!cache) {
    throw new RpcError(db ? 'NOT_FOUND' : 'OFFLINE', db ? 'This connection has no offline cache yet: sync it first.' : 'The database cannot be reached and this connection has no offline cache yet.')
  }
  return { value: await readers.cache(cache), ...sourced('cache', cache) }
}

function sourced(source: DataSource, cache: CacheDb | null): Sourced {
  return { source, syncedAt: cache ? lastSyncedAt(cache) : null }
}

/** A cached record asked for under another tenant is as absent as it would be on the server. */
export function inTenant<R extends { tenantId: string }>(record: R, tenantId: string): R {
  if (record.tenantId !== tenantId) throw new RpcError('NOT_FOUND', 'No such record in this tenant.')
  return record
}

/** One answer read where `source` says, under its name in the procedure's output, with where it came from. */
export async function readAs<K extends string, T>(key: K, backend: Backend, source: DataSourceChoice, readers: Readers<T>): Promise<Sourced & Record<K, T>> {
  const { value, ...from } = await readFrom(backend, source, readers)
  // A computed key widens to string in TypeScript; `key` is exactly K.
  return { ...from, ...({ [key]: value } as Record<K, T>) }
}

interface KeysetReaders<F, R> {
  server(db: Database, filter: F, limit: number, cursor: ServerCursor | null): Promise<{ rows: R[]; nextCursor: string | null }>
  cache(cache: CacheDb, filter: F, limit: number, cursor: string | null): { rows: R[]; nextCursor: string | null }
}

/**
 * The handler of a keyset list procedure: each side reads a page under its own kind of cursor, and
 * the cache's cursor is marked as the cache's, so a page asked of the other side starts over.
 */
export function keysetListHandler<F, R>(readers: KeysetReaders<F, R>) {
  return async ({ filter, cursor, limit, source }: { filter: F; cursor: string | null; limit: number; source: DataSourceChoice }, { backend }: { backend: Backend }): Promise<ListPage<R>> => {
    const { value, ...from } = await readFrom(backend, source, {
      server: (db) => readers.server(db, filter, limit, decodeServerCursor(cursor)),
      cache: (cache) => {
        const page = readers.cache(cache, filter, limit, decodeCacheCursor(cursor))
        return { rows: page.rows, nextCursor: encodeCacheCursor(page.nextCursor) }
      }
    })
    return { ...value, ...from }
  }
}
