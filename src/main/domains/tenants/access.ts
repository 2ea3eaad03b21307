import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type { Capabilities, CapabilityDenial } from '../../../shared/rpc/areas/tenants'
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

/**
 * What the operator's groups allow, mirroring the grants of the migrations. Only a hint for the
 * screen (to disable a control and say why): the database refuses the action regardless.
 */
export function capabilitiesOf(groups: readonly string[]): Capabilities {
  const admin = groups.includes('admin')
  const supportOrAdmin = admin || groups.includes('support')
  const rule = (allowed: boolean, reason: CapabilityDenial) => (allowed ? ({ allowed: true } as const) : ({ allowed: false, reason } as const))
  return {
    editProfile: rule(supportOrAdmin, 'requiresSupportOrAdmin'),
    manageDomains: rule(supportOrAdmin, 'requiresSupportOrAdmin'),
    requestAccess: rule(supportOrAdmin, 'requiresSupportOrAdmin'),
    changeStatus: rule(admin, 'requiresAdmin'),
    editLimits: rule(admin, 'requiresAdmin')
  }
}

export async function myGroups(client: PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ groups: string[] }>('select app.my_groups() as groups')
  return rows[0]?.groups ?? []
}
