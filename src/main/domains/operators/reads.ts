import type { PoolClient } from 'pg'
import type { GrantInForce, OperatorAction, OperatorSummary } from '../../../shared/rpc/areas/operators'
import { RpcError } from '../../../shared/rpc/errors'
import type { Database } from '../../db/types'
import { readOperators } from '../../db/operators'
import { toAction, toGrant, type ActionRow, type GrantRow } from './rows'

/**
 * Only an administrator of all tenants sees every assignment and grant (RLS shows the others their
 * own rows only, which would be a misleading list): say so instead of showing a part.
 */
export async function requireAllTenantsAdmin(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ all: boolean }>('select app.sees_all_tenants() as all')
  if (!rows[0]?.all) throw new RpcError('FORBIDDEN', 'Only administrators of all tenants manage operators.')
}

/** Every operator of the database with its groups, its tenants (by name) and its grants in force, as the admin's role reads them. */
export async function listOperators(db: Database): Promise<{ operators: OperatorSummary[] }> {
  return db.withPlatform(async (client) => {
    await requireAllTenantsAdmin(client)
    return { operators: await readOperators(client) }
  })
}

/** The break-glass grants in force, those ending soonest first. */
export async function listGrantsInForce(db: Database): Promise<{ grants: GrantInForce[] }> {
  return db.withPlatform(async (client) => {
    await requireAllTenantsAdmin(client)
    const { rows } = await client.query<GrantRow>(
      `select g.id, g.operator::text, g.tenant_id, t.slug::text as tenant_slug, t.name::text as tenant_name, g.reason, g.granted_at, g.expires_at
         from public.break_glass_grants g join public.tenants t on t.id = g.tenant_id
        where g.expires_at > statement_timestamp()
        order by g.expires_at, g.id`
    )
    return { grants: rows.map(toGrant) }
  })
}

/** An operator's most recent audited actions, across every tenant (migrations/021: app.operator_actions). */
export async function operatorActions(db: Database, operator: string, limit: number): Promise<{ actions: OperatorAction[] }> {
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<ActionRow>('select * from app.operator_actions($1, $2)', [operator, limit])
    return { actions: rows.map(toAction) }
  })
}
