import type { Capability } from '../../../shared/capabilities'
import { RpcError } from '../../../shared/rpc/errors'
import { requireCapability } from '../../rpc/gate'
import type { AreaHandlers, HandlerContext } from '../../rpc/types'
import { exportAccessZip, exportConsentCsv } from './export'
import {
  advanceRequest,
  approveErasure,
  assignRequest,
  consentCoverage,
  consentHistory,
  consentImpact,
  createRequest,
  extendRequest,
  listConsents,
  listRequests,
  lookupSubject,
  resolveImpact
} from './server-queries'

/**
 * The database, once the operator may open the area and use `capability` (refused early
 * otherwise; the database still refuses on its own). Consent is read online only: personal data
 * of the tenants' customers is not copied to laptops beyond the conversations support needs.
 */
function gated(ctx: HandlerContext, capability: Capability) {
  requireCapability(ctx.backend, 'area.consent')
  requireCapability(ctx.backend, capability)
  const db = ctx.backend.db
  if (!db) throw new RpcError('OFFLINE', 'The database is not connected.')
  return db
}

export const consentHandlers: AreaHandlers<'consent'> = {
  'consent.list': async ({ tenantId, filter, offset, limit }, ctx) => listConsents(gated(ctx, 'area.consent'), tenantId, filter, { offset, limit }),
  'consent.history': async ({ tenantId, userId }, ctx) => consentHistory(gated(ctx, 'area.consent'), tenantId, userId),
  'consent.coverage': async ({ tenantId }, ctx) => consentCoverage(gated(ctx, 'area.consent'), tenantId),
  'consent.export': async (input, ctx) => exportConsentCsv(gated(ctx, 'area.consent'), ctx.backend.exports, input, ctx.emit),
  'consent.lookup': async ({ kind, identity }, ctx) => lookupSubject(gated(ctx, 'consent.lookup'), kind, identity),
  'consent.requests': async ({ tenantId, status, limit }, ctx) => listRequests(gated(ctx, 'area.consent'), tenantId, status, limit),
  'consent.createRequest': async (input, ctx) => createRequest(gated(ctx, 'consent.handleRequests'), input),
  'consent.advanceRequest': async (input, ctx) => advanceRequest(gated(ctx, 'consent.handleRequests'), input),
  'consent.extendRequest': async (input, ctx) => extendRequest(gated(ctx, 'consent.handleRequests'), input),
  'consent.assignRequest': async (input, ctx) => assignRequest(gated(ctx, 'consent.handleRequests'), input),
  'consent.approveErasure': async (input, ctx) => approveErasure(gated(ctx, 'consent.approveErasure'), input),
  'consent.accessExport': async (input, ctx) => exportAccessZip(gated(ctx, 'consent.accessExport'), ctx.backend.exports, input, ctx.emit),
  'consent.impact': async (_input, ctx) => consentImpact(gated(ctx, 'consent.impact')),
  'consent.resolveImpact': async (input, ctx) => resolveImpact(gated(ctx, 'consent.resolveImpact'), input)
}
