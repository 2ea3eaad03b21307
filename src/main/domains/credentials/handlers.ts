import { RpcError } from '../../../shared/rpc/errors'
import type { Capability } from '../../../shared/capabilities'
import type { Database } from '../../db/types'
import { requireCapability } from '../../rpc/gate'
import type { AreaHandlers, HandlerContext } from '../../rpc/types'
import { credentialCounts, credentialDetail, credentialJwks, exportCredentialsCsv, listCredentials, listPolicies, setPolicy } from './queries'
import { requestRoll, revokeCredential, revokeVersion, rollCredential, rollMany } from './rotation'

/**
 * The database, once the operator's groups allow `capability` (refused early otherwise). Credentials
 * are never cached offline: every procedure needs the live database.
 */
function gated(ctx: HandlerContext, capability: Capability): Database {
  requireCapability(ctx.backend, 'area.credentials')
  requireCapability(ctx.backend, capability)
  const db = ctx.backend.db
  if (!db) throw new RpcError('OFFLINE', 'The database is not connected; credentials are read and rolled online only.')
  return db
}

export const credentialsHandlers: AreaHandlers<'credentials'> = {
  'credentials.list': async ({ after, limit, ...filter }, ctx) => listCredentials(gated(ctx, 'area.credentials'), filter, after, limit),
  'credentials.counts': async (_input, ctx) => credentialCounts(gated(ctx, 'area.credentials')),
  'credentials.get': async ({ tenantId, credentialId }, ctx) => credentialDetail(gated(ctx, 'area.credentials'), tenantId, credentialId),
  'credentials.policies': async (_input, ctx) => listPolicies(gated(ctx, 'area.credentials')),
  'credentials.setPolicy': async ({ kind, maxAgeDays }, ctx) => setPolicy(gated(ctx, 'credentials.setPolicy'), kind, maxAgeDays),
  'credentials.roll': async ({ grace, ...target }, ctx) => rollCredential(gated(ctx, 'credentials.roll'), target, grace),
  'credentials.rollMany': async ({ targets, grace, jobId }, ctx) => rollMany(gated(ctx, 'credentials.roll'), targets, grace, jobId, ctx.emit),
  'credentials.revokeVersion': async (input, ctx) => revokeVersion(gated(ctx, 'credentials.revoke'), input),
  'credentials.revoke': async (input, ctx) => revokeCredential(gated(ctx, 'credentials.revoke'), input),
  'credentials.requestRoll': async (input, ctx) => requestRoll(gated(ctx, 'credentials.requestRoll'), input),
  'credentials.jwks': async ({ tenantId, credentialId }, ctx) => credentialJwks(gated(ctx, 'area.credentials'), tenantId, credentialId),
  'credentials.export': async (input, ctx) => exportCredentialsCsv(gated(ctx, 'area.credentials'), ctx.backend.exports, input, ctx.emit)
}
