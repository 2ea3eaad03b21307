import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type { Database } from '../../db/types'

/*
 * Changes run as the admin's own role, each in one transaction: an assignment through the
 * admin_assigns policy on operator_tenants, ending a grant through app.end_break_glass. The audit
 * trigger on both tables records the admin as the actor. The checks here only word the refusal;
 * the database makes the same ones (unknown operator, missing tenant, ended grant).
 */

async function requireOperator(client: PoolClient, operator: string): Promise<void> {
  const { rows } = await client.query<{ known: boolean }>('select app.is_operator($1) as known', [operator])
  if (!rows[0]?.known) throw new RpcError('NOT_FOUND', `No operator is named ${operator}.`)
}

async function requireTenant(client: PoolClient, tenantId: string): Promise<void> {
  const { rowCount } = await client.query('select 1 from public.tenants where id = $1', [tenantId])
  if (!rowCount) throw new RpcError('NOT_FOUND', 'No such tenant.')
}

export async function assignTenant(db: Database, operator: string, tenantId: string): Promise<{ operator: string; tenantId: string }> {
  return db.withPlatform(async (client) => {
    await requireOperator(client, operator)
    await requireTenant(client, tenantId)
    const { rowCount } = await client.query('insert into public.operator_tenants (operator, tenant_id) values ($1, $2) on conflict do nothing', [operator, tenantId])
    if (!rowCount) throw new RpcError('CONFLICT', `${operator} is already assigned to this tenant.`)
    return { operator, tenantId }
  })
}

export async function unassignTenant(db: Database, operator: string, tenantId: string): Promise<{ operator: string; tenantId: string }> {
  return db.withPlatform(async (client) => {
    const { rowCount } = await client.query('delete from public.operator_tenants where operator = $1 and tenant_id = $2', [operator, tenantId])
    if (!rowCount) throw new RpcError('NOT_FOUND', `${operator} is not assigned to this tenant.`)
    return { operator, tenantId }
  })
}

export async function endGrant(db: Database, grantId: string, reason: string): Promise<{ id: string; endedAt: string }> {
  return db.withPlatform(async (client) => {
    const current = await client.query<{ in_force: boolean }>('select expires_at > statement_timestamp() as in_force from public.break_glass_grants where id = $1', [grantId])
    if (!current.rows[0]) throw new RpcError('NOT_FOUND', 'No such break-glass grant.')
    if (!current.rows[0].in_force) throw new RpcError('CONFLICT', 'This grant has already ended.')
    const { rows } = await client.query<{ id: string; expires_at: Date }>('select id, expires_at from app.end_break_glass($1, $2)', [grantId, reason])
    return { id: rows[0]!.id, endedAt: rows[0]!.expires_at.toISOString() }
  })
}
