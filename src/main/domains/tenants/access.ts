import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type { Database } from '../../db/types'
import type { HandlerContext } from '../../rpc/types'

export function requireDatabase(ctx: HandlerContext): Database {
  const db = ctx.backend.db
  if (!db) throw new RpcError('OFFLINE', 'The database is not connected.')
  return db
}

/**
 * Inside withTenant: the tenant row is visible only when the operator may see the tenant, so an
 * unknown and a hidden tenant look the same (no existence oracle).
 */
export async function requireVisibleTenant(client: PoolClient, tenantId: string): Promise<void> {
  const { rowCount } = await client.query('select 1 from tenants where id = $1', [tenantId])
  if (!rowCount) throw new RpcError('NOT_FOUND', 'No such tenant, or it is not assigned to you.')
}
