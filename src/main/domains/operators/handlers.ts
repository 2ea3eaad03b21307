import { requireCapability } from '../../rpc/gate'
import type { AreaHandlers, HandlerContext } from '../../rpc/types'
import type { Capability } from '../../../shared/capabilities'
import { RpcError } from '../../../shared/rpc/errors'
import { assignTenant, endGrant, unassignTenant } from './changes'
import { listGrantsInForce, listOperators, operatorActions } from './reads'

/** The database, once the operator's groups allow `capability` (refused early otherwise). */
function gated(ctx: HandlerContext, capability: Capability) {
  requireCapability(ctx.backend, capability)
  const db = ctx.backend.db
  if (!db) throw new RpcError('OFFLINE', 'Operators and access need the database.')
  return db
}

export const operatorsHandlers: AreaHandlers<'operators'> = {
  'operators.list': async (_input, ctx) => listOperators(gated(ctx, 'area.operators')),
  'operators.grants': async (_input, ctx) => listGrantsInForce(gated(ctx, 'area.operators')),
  'operators.actions': async ({ operator, limit }, ctx) => operatorActions(gated(ctx, 'area.operators'), operator, limit),
  'operators.assign': async ({ operator, tenantId }, ctx) => assignTenant(gated(ctx, 'operators.assign'), operator, tenantId),
  'operators.unassign': async ({ operator, tenantId }, ctx) => unassignTenant(gated(ctx, 'operators.assign'), operator, tenantId),
  'operators.endGrant': async ({ grantId, reason }, ctx) => endGrant(gated(ctx, 'operators.endGrant'), grantId, reason)
}
