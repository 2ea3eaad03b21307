import type { DecisionResult, ReviewRow, TemplateState } from '../../../shared/rpc/areas/marketplace'
import { isoMillis } from '../../reads/sql'

/*
 * One mapper per DTO. Times leave the database as ISO text (isoMillis), money as decimal text,
 * counts as integers: nothing becomes a float on the way.
 */

/** A moderation function's returned template row (`from app.x_template(...) t`), as the screen needs it after a decision. */
export const DECISION_COLUMNS = `t.id, t.version, t.status, t.claimed_by, ${isoMillis('t.claim_expires_at')} as claim_expires_at`

export interface DecisionDbRow {
  id: string
  version: number
  status: TemplateState
  claimed_by: string | null
  claim_expires_at: string | null
}

export function toDecision(row: DecisionDbRow): DecisionResult {
  return { id: row.id, version: row.version, status: row.status, claimedBy: row.claimed_by, claimExpiresAt: row.claim_expires_at }
}

/** Reviews with their template's and reviewer tenant's names (`r` the review, `t` its template, `n` the tenant). */
export const REVIEW_COLUMNS = `r.id, r.version, r.template_id, t.name as template_name, r.tenant_id, n.name as tenant_name, r.rating, r.title, r.content,
  r.hidden, r.hidden_reason_code, r.hidden_reason, r.hidden_by, ${isoMillis('r.hidden_at')} as hidden_at, ${isoMillis('r.created_at')} as created_at`
export const REVIEW_FROM = 'public.reviews r join public.templates t on t.id = r.template_id left join public.tenants n on n.id = r.tenant_id'

export interface ReviewDbRow {
  id: string
  version: number
  template_id: string
  template_name: string
  tenant_id: string
  tenant_name: string | null
  rating: number
  title: string | null
  content: string | null
  hidden: boolean
  hidden_reason_code: string | null
  hidden_reason: string | null
  hidden_by: string | null
  hidden_at: string | null
  created_at: string
}

export function toReview(row: ReviewDbRow): ReviewRow {
  return {
    id: row.id,
    version: row.version,
    templateId: row.template_id,
    templateName: row.template_name,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    rating: row.rating,
    title: row.title,
    content: row.content,
    hidden: row.hidden,
    hiddenReasonCode: row.hidden_reason_code,
    hiddenReason: row.hidden_reason,
    hiddenBy: row.hidden_by,
    hiddenAt: row.hidden_at,
    createdAt: row.created_at
  }
}
