import type { PoolClient } from 'pg'
import type { BulkItemResult, DecisionResult, ReviewDecisionResult } from '../../../shared/rpc/areas/marketplace'
import { RpcError } from '../../../shared/rpc/errors'
import { toRpcError } from '../../db/errors'
import type { Database } from '../../db/types'
import { DECISION_COLUMNS, REVIEW_COLUMNS, REVIEW_FROM, toDecision, toReview, type DecisionDbRow, type ReviewDbRow } from './rows'

/*
 * Each decision is one call of its definer function (migrations/012) in one transaction, as the
 * moderator's own role, on the version he saw: the database refuses an illegal transition
 * (55000) and a stale version (P0409, naming who changed it), and writes the history and audit
 * rows with the session user as actor. Nothing here decides who may do what.
 */

async function call(client: PoolClient, fn: string, args: unknown[]): Promise<DecisionResult> {
  const placeholders = args.map((_, i) => `$${i + 1}`).join(', ')
  // In FROM, so the function runs once (a (f()).* in the select list would run it per column).
  const { rows } = await client.query<DecisionDbRow>(`select ${DECISION_COLUMNS} from app.${fn}(${placeholders}) t`, args)
  return toDecision(rows[0]!)
}

export interface Target {
  templateId: string
  version: number
}

export const claim = (db: Database, t: Target) => db.withPlatform((c) => call(c, 'claim_template', [t.templateId, t.version]))
export const release = (db: Database, t: Target) => db.withPlatform((c) => call(c, 'release_template', [t.templateId, t.version]))
export const publish = (db: Database, t: Target) => db.withPlatform((c) => call(c, 'publish_template', [t.templateId, t.version]))
export const approve = (db: Database, t: Target & { reasonCode: string; note: string }) =>
  db.withPlatform((c) => call(c, 'approve_template', [t.templateId, t.version, t.reasonCode, t.note]))
export const reject = (db: Database, t: Target & { reasonCode: string; note: string }) =>
  db.withPlatform((c) => call(c, 'reject_template', [t.templateId, t.version, t.reasonCode, t.note]))
export const takeDown = (db: Database, t: Target & { reasonCode: string; publicReason: string }) =>
  db.withPlatform((c) => call(c, 'take_down_template', [t.templateId, t.version, t.reasonCode, t.publicReason]))

/**
 * Bulk approve or reject from the queue: per item, claim (or renew one's own claim) at the version
 * the moderator saw and decide, in one transaction of its own. An item another moderator holds or
 * changed fails alone, with its reason; the others are decided.
 */
export async function bulkDecide(
  db: Database,
  input: { decision: 'approve' | 'reject'; items: Target[]; reasonCode: string; note: string }
): Promise<{ results: BulkItemResult[] }> {
  const results: BulkItemResult[] = []
  const fn = input.decision === 'approve' ? 'approve_template' : 'reject_template'
  for (const item of input.items) {
    try {
      const decided = await db.withPlatform(async (client) => {
        const claimed = await call(client, 'claim_template', [item.templateId, item.version])
        return call(client, fn, [item.templateId, claimed.version, input.reasonCode, input.note])
      })
      results.push({ templateId: item.templateId, ok: true, status: decided.status })
    } catch (error) {
      const failure = error instanceof RpcError ? error : toRpcError(error)
      results.push({ templateId: item.templateId, ok: false, error: { code: failure.code, message: failure.message } })
    }
  }
  return { results }
}

/** Hides or shows a review on the version the moderator saw; the template's rating follows in the same transaction. */
export async function setReviewHidden(db: Database, input: { reviewId: string; version: number; hide: boolean; reasonCode: string; note: string }): Promise<ReviewDecisionResult> {
  return db.withPlatform(async (client) => {
    await client.query('select 1 from app.set_review_hidden($1, $2, $3, $4, $5)', [input.reviewId, input.version, input.hide, input.reasonCode, input.note])
    const { rows } = await client.query<ReviewDbRow & { rating_avg: string; rating_count: number }>(
      `select ${REVIEW_COLUMNS}, t.rating_avg::text as rating_avg, t.rating_count from ${REVIEW_FROM} where r.id = $1`,
      [input.reviewId]
    )
    const row = rows[0]!
    return { review: toReview(row), ratingAvg: row.rating_avg, ratingCount: row.rating_count }
  })
}
