import type { GrantInForce, OperatorAction } from '../../../shared/rpc/areas/operators'

/** One mapper per DTO: the rows the queries of reads.ts return, as the screen receives them. */

export interface GrantRow {
  id: string
  operator: string
  tenant_id: string
  tenant_slug: string
  tenant_name: string
  reason: string
  granted_at: Date
  expires_at: Date
}

export const toGrant = (row: GrantRow): GrantInForce => ({
  id: row.id,
  operator: row.operator,
  tenant: { id: row.tenant_id, slug: row.tenant_slug, name: row.tenant_name },
  reason: row.reason,
  grantedAt: row.granted_at.toISOString(),
  expiresAt: row.expires_at.toISOString()
})

export interface ActionRow {
  id: string
  created_at: Date
  tenant_id: string | null
  tenant_name: string | null
  action: string
  resource_type: string
  resource_id: string | null
}

export const toAction = (row: ActionRow): OperatorAction => ({
  id: row.id,
  at: row.created_at.toISOString(),
  tenant: row.tenant_id ? { id: row.tenant_id, name: row.tenant_name } : null,
  action: row.action,
  resourceType: row.resource_type,
  resourceId: row.resource_id
})
