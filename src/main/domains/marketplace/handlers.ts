import type { Capability } from '../../../shared/capabilities'
import { RpcError } from '../../../shared/rpc/errors'
import { requireCapability } from '../../rpc/gate'
import type { AreaHandlers, HandlerContext } from '../../rpc/types'
import { approve, bulkDecide, claim, publish, reject, release, setReviewHidden, takeDown } from './decisions'
import { moderationReasons, moderationSettings, riskReport, templateDetail, templateHistory, templatePurchases, updateModerationSettings, versionDiff } from './detail'
import { listQueue } from './queue'
import { listReviews } from './reviews'

/** The database, once the operator's groups allow `capability` (refused early otherwise). */
function gated(ctx: HandlerContext, capability: Capability) {
  requireCapability(ctx.backend, 'area.marketplace')
  requireCapability(ctx.backend, capability)
  const db = ctx.backend.db
  if (!db) throw new RpcError('OFFLINE', 'The database is not connected.')
  return db
}

export const marketplaceHandlers: AreaHandlers<'marketplace'> = {
  'marketplace.queue': async ({ offset, limit, ...filter }, ctx) => listQueue(gated(ctx, 'area.marketplace'), filter, { offset, limit }),
  'marketplace.reasons': async (_input, ctx) => moderationReasons(gated(ctx, 'area.marketplace')),
  'marketplace.settings': async (_input, ctx) => moderationSettings(gated(ctx, 'area.marketplace')),
  'marketplace.updateSettings': async (input, ctx) => updateModerationSettings(gated(ctx, 'marketplace.settings'), input),
  'marketplace.template': async ({ templateId }, ctx) => templateDetail(gated(ctx, 'area.marketplace'), templateId),
  'marketplace.risk': async ({ templateId, versionId }, ctx) => riskReport(gated(ctx, 'area.marketplace'), templateId, versionId),
  'marketplace.diff': async ({ templateId }, ctx) => versionDiff(gated(ctx, 'area.marketplace'), templateId),
  'marketplace.purchases': async ({ templateId, offset, limit }, ctx) => templatePurchases(gated(ctx, 'area.marketplace'), templateId, { offset, limit }),
  'marketplace.history': async ({ templateId }, ctx) => templateHistory(gated(ctx, 'area.marketplace'), templateId),
  'marketplace.reviews': async ({ offset, limit, ...filter }, ctx) => listReviews(gated(ctx, 'area.marketplace'), filter, { offset, limit }),
  'marketplace.claim': async (input, ctx) => claim(gated(ctx, 'marketplace.claim'), input),
  'marketplace.release': async (input, ctx) => release(gated(ctx, 'marketplace.claim'), input),
  'marketplace.approve': async (input, ctx) => approve(gated(ctx, 'marketplace.decide'), input),
  'marketplace.reject': async (input, ctx) => reject(gated(ctx, 'marketplace.decide'), input),
  'marketplace.publish': async (input, ctx) => publish(gated(ctx, 'marketplace.publish'), input),
  'marketplace.takeDown': async (input, ctx) => takeDown(gated(ctx, 'marketplace.takeDown'), input),
  'marketplace.bulkDecide': async (input, ctx) => bulkDecide(gated(ctx, 'marketplace.decide'), input),
  'marketplace.hideReview': async (input, ctx) => setReviewHidden(gated(ctx, 'marketplace.moderateReviews'), { ...input, hide: true }),
  'marketplace.unhideReview': async (input, ctx) => setReviewHidden(gated(ctx, 'marketplace.moderateReviews'), { ...input, hide: false })
}
