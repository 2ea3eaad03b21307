import type { PoolClient } from 'pg'
import type { Database } from '../db/types'
import { encodeServerCursor } from './keyset'
import { TooManyTenants } from './source'

/** Above this many visible tenants a list without a tenant filter is not fanned out (see TooManyTenants). */
export const MAX_TENANT_FAN_OUT = 50
const PARALLEL_TENANTS = 4

export async function visibleTenantIds(db: Database): Promise<string[]> {
  const { rows } = await db.withPlatform((client) =>
    client.query<{ id: string }>('select distinct tenant_id::text as id from app.visible_tenants() order by 1')
  )
  return rows.map((row) => row.id)
}

/**
 * Runs `query` in each tenant's own context (RLS applies per tenant, as everywhere else) and
 * returns the answers in tenant order: the caller merges them. One tenant when filtered.
 */
export async function acrossTenants<T>(db: Database, tenantId: string | undefined, query: (client: PoolClient, tenantId: string) => Promise<T>): Promise<T[]> {
  const tenants = tenantId ? [tenantId] : await visibleTenantIds(db)
  if (tenants.length > MAX_TENANT_FAN_OUT) throw new TooManyTenants(tenants.length)
  const results: T[] = new Array(tenants.length)
  let next = 0
  const lane = async () => {
    while (next < tenants.length) {
      const index = next++
      results[index] = await db.withTenant(tenants[index]!, (client) => query(client, tenants[index]!))
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_TENANTS, tenants.length) }, lane))
  return results
}

/**
 * One page newest first across tenants, and the cursor after it (null on the last page): each
 * input is already newest first and at most `limit` long.
 */
export function newestFirstPage<R extends { cursorAt: string; id: string }>(lists: R[][], limit: number): { rows: Omit<R, 'cursorAt'>[]; nextCursor: string | null } {
  const merged = lists
    .flat()
    .sort((a, b) => (a.cursorAt === b.cursorAt ? compare(b.id, a.id) : compare(b.cursorAt, a.cursorAt)))
    .slice(0, limit)
  const last = merged[merged.length - 1]
  return {
    rows: merged.map(({ cursorAt: _cursorAt, ...row }) => row),
    nextCursor: merged.length === limit && last ? encodeServerCursor({ at: last.cursorAt, id: last.id }) : null
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
