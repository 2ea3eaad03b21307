import { z } from 'zod'
import type { OperatorGroup } from '../../capabilities'
import { mutation, query } from '../define'
import { reasonSchema, tenantIdSchema } from './tenants'

/*
 * Operators and access (admin, issue 15 §3): who the operators are, their groups and tenants, the
 * break-glass grants in force and each operator's recent actions. Forms use these schemas, so the
 * screen and the main process refuse the same input with the same message.
 */

/** A PostgreSQL login role as `npm run operator -- add` creates it (src/main/db/operators.ts). */
export const OPERATOR_NAME_PATTERN = /^[a-z][a-z0-9_]{1,62}$/
export const operatorNameSchema = z.string().regex(OPERATOR_NAME_PATTERN, 'Not an operator name')

/** How many recent actions the screen shows per operator (the database allows up to 200). */
export const OPERATOR_ACTIONS_MAX = 200

export interface AssignedTenant {
  id: string
  slug: string
  name: string
}

export interface OperatorSummary {
  name: string
  groups: OperatorGroup[]
  /** Assigned to every tenant (counts for admins only). */
  allTenants: boolean
  tenants: AssignedTenant[]
  /** Break-glass grants of this operator still in force. */
  grantsInForce: number
}

export interface GrantInForce {
  id: string
  operator: string
  tenant: AssignedTenant
  reason: string
  grantedAt: string
  expiresAt: string
}

export interface OperatorAction {
  id: string
  at: string
  tenant: { id: string; name: string | null } | null
  /** INSERT, UPDATE, DELETE, EXPORT, EXECUTE … as the audit trail records it. */
  action: string
  resourceType: string
  resourceId: string | null
}

const assignment = z.strictObject({ operator: operatorNameSchema, tenantId: tenantIdSchema })

export const operatorsProcedures = {
  'operators.list': query(z.strictObject({})).returns<{ operators: OperatorSummary[] }>(),
  'operators.grants': query(z.strictObject({})).returns<{ grants: GrantInForce[] }>(),
  'operators.actions': query(
    z.strictObject({ operator: operatorNameSchema, limit: z.number().int().min(1).max(OPERATOR_ACTIONS_MAX).default(50) })
  ).returns<{ actions: OperatorAction[] }>(),
  'operators.assign': mutation(assignment).returns<{ operator: string; tenantId: string }>(),
  'operators.unassign': mutation(assignment).returns<{ operator: string; tenantId: string }>(),
  /** Ends a grant in force now; the reason goes to the grant and the audit trail. */
  'operators.endGrant': mutation(z.strictObject({ grantId: z.uuid({ message: 'Not a grant id' }), reason: reasonSchema })).returns<{ id: string; endedAt: string }>()
} as const
