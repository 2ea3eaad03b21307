import { z } from 'zod'
import { visibleLength } from '../../visible-text'
import { mutation, query } from '../define'
import { SEARCH_MAX } from '../list'

/*
 * Marketplace moderation (issue 11): the review queue, a template's versions, graph, risk report
 * and diff, its purchases, reviews and history, and the decisions. Every decision carries the
 * version of the template (or review) the moderator saw; the database refuses a stale one
 * (CONFLICT naming who changed it) and an illegal transition (migrations/012).
 */

export const TEMPLATE_STATES = ['draft', 'submitted', 'in_review', 'approved', 'published', 'rejected', 'taken_down'] as const
export type TemplateState = (typeof TEMPLATE_STATES)[number]
/** What the queue shows unless asked otherwise: what waits for a moderator. */
export const QUEUE_STATES: readonly TemplateState[] = ['submitted', 'in_review']

/** The analyzer's levels, lowest first (src/main/domains/marketplace/risk/types.ts returns these). */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

export const CLAIM_FILTERS = ['any', 'me', 'others', 'nobody'] as const
export type ClaimFilter = (typeof CLAIM_FILTERS)[number]
export const PRICING_FILTERS = ['any', 'free', 'paid'] as const

export const DECISIONS = ['approve', 'reject', 'take_down', 'hide_review', 'unhide_review'] as const
export type Decision = (typeof DECISIONS)[number]

/** The database's own minimums (migrations/012): a rejection note and a public takedown reason. */
export const REJECT_NOTE_MIN = 10
export const TAKEDOWN_REASON_MIN = 10
export const HIDE_NOTE_MIN = 3
export const NOTE_MAX = 2000
export const BULK_MAX = 100

const templateId = z.uuid({ message: 'Not a template id' })
/** The version of the row the moderator saw (templates.version, reviews.version). */
const seenVersion = z.number().int().min(1).max(2_147_483_647)
const reasonCode = z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'Pick a reason')

/** A note counted in visible characters, as app.visible_length() counts it. */
function noteSchema(min: number) {
  return z
    .string()
    .trim()
    .max(NOTE_MAX, `At most ${NOTE_MAX} characters`)
    .superRefine((note, ctx) => {
      if (visibleLength(note) < min) {
        ctx.addIssue({ code: 'too_small', origin: 'string', minimum: min, inclusive: true, input: note, message: `At least ${min} visible characters` })
      }
    })
}

export const approveNoteSchema = noteSchema(0)
export const rejectNoteSchema = noteSchema(REJECT_NOTE_MIN)
export const takedownReasonSchema = noteSchema(TAKEDOWN_REASON_MIN)
export const hideNoteSchema = noteSchema(HIDE_NOTE_MIN)

export const queueFilterSchema = z.strictObject({
  states: z.array(z.enum(TEMPLATE_STATES)).min(1).max(TEMPLATE_STATES.length).default([...QUEUE_STATES]),
  category: z.string().trim().max(100).nullable().default(null),
  pricing: z.enum(PRICING_FILTERS).default('any'),
  /** At least this level (the analysis of the template's current version). */
  risk: z.enum(RISK_LEVELS).nullable().default(null),
  /** Waiting at least this many hours since submission. */
  olderThanHours: z.number().int().min(0).max(24 * 366).nullable().default(null),
  claimed: z.enum(CLAIM_FILTERS).default('any'),
  search: z.string().trim().max(SEARCH_MAX).default('')
})
export type QueueFilter = z.input<typeof queueFilterSchema>
export type QueueQuery = z.output<typeof queueFilterSchema>

export interface QueueRow {
  id: string
  version: number
  name: string
  category: string
  status: TemplateState
  /** Decimal text with its currency: never a float. */
  price: string
  currency: string
  isFree: boolean
  tenantId: string
  tenantName: string | null
  versionNumber: number | null
  submittedAt: string | null
  claimedBy: string | null
  claimExpiresAt: string | null
  /** Claimed and the lease has not run out. */
  claimActive: boolean
  claimedByMe: boolean
  /** The analysis of the current version; null for a draft. */
  risk: RiskLevel | null
}

export interface QueuePage {
  rows: QueueRow[]
  total: number
  offset: number
  /** Per state, under every filter but the states. */
  counts: Record<TemplateState, number>
  categories: string[]
  /** The SLA target for a submission to be decided (moderation_settings.review_sla). */
  slaHours: number
  /** The database's clock, so waiting times do not depend on this machine's. */
  now: string
  me: string
}

export interface ReasonOption {
  code: string
  decision: Decision
  label: string
}

export interface ModerationSettings {
  slaHours: number
  claimLeaseMinutes: number
}

export interface VersionSummary {
  id: string
  number: number
  contentHash: string
  name: string
  createdAt: string
  createdBy: string
}

export interface TemplateDetail {
  id: string
  version: number
  name: string
  description: string
  category: string
  tags: string[]
  status: TemplateState
  price: string
  currency: string
  isFree: boolean
  isFeatured: boolean
  tenantId: string
  tenantName: string | null
  tenantSlug: string | null
  creatorUserId: string
  /** The author's name (users.full_name): moderators read it for template authors only (migration 015). */
  authorName: string | null
  submittedAt: string | null
  publishedAt: string | null
  reviewer: string | null
  reviewedAt: string | null
  claimedBy: string | null
  claimExpiresAt: string | null
  claimActive: boolean
  claimedByMe: boolean
  decisionReasonCode: string | null
  decisionNote: string | null
  takedownReasonCode: string | null
  takedownReason: string | null
  takenDownBy: string | null
  takenDownAt: string | null
  ratingAvg: string
  ratingCount: number
  downloadCount: number
  updatedBy: string
  updatedAt: string
  versions: VersionSummary[]
  currentVersionId: string | null
  approvedVersionId: string | null
  publishedVersionId: string | null
  /** The current version's workflow, read leniently from the submitted export (untrusted: shown, never run). */
  graph: WorkflowGraph
  me: string
}

export interface GraphNode {
  id: string
  name: string
  type: string
  parameters: unknown
  credentials: Record<string, unknown>
}

export interface WorkflowGraph {
  /** False when the version's definition has no list of nodes at all. */
  readable: boolean
  nodes: GraphNode[]
  edges: { from: string; to: string }[]
}

export interface RiskFinding {
  kind: string
  severity: RiskLevel
  nodeId: string
  path: string
  message: string
  evidence?: string
}

export interface RiskReportDto {
  level: RiskLevel
  findings: RiskFinding[]
  hosts: string[]
  stats: { nodes: number; edges: number; maxFanOut: number; largestLoop: number }
}

export interface DiffNode {
  id: string
  name: string
  type: string
}

export interface VersionDiff {
  /**
   * What the current version is compared with: the last approved version, else the previous
   * submission (a resubmission after a rejection); null for a first submission.
   */
  base: { id: string; number: number; kind: 'approved' | 'previous' } | null
  target: { id: string; number: number } | null
  added: DiffNode[]
  removed: DiffNode[]
  changed: (DiffNode & { changes: { path: string; before: unknown; after: unknown }[] })[]
  edgesAdded: { from: string; to: string }[]
  edgesRemoved: { from: string; to: string }[]
}

export interface PurchaseRow {
  id: string
  tenantId: string
  tenantName: string | null
  pricePaid: string
  currency: string
  status: 'pending' | 'succeeded' | 'failed' | 'refunded'
  purchasedAt: string
}

export interface ReviewRow {
  id: string
  version: number
  templateId: string
  templateName: string
  tenantId: string
  tenantName: string | null
  rating: number
  title: string | null
  content: string | null
  hidden: boolean
  hiddenReasonCode: string | null
  hiddenReason: string | null
  hiddenBy: string | null
  hiddenAt: string | null
  createdAt: string
}

export interface HistoryEntry {
  id: string
  seq: number
  action: string
  fromStatus: string | null
  toStatus: string | null
  reasonCode: string | null
  note: string | null
  versionNumber: number | null
  reviewId: string | null
  actor: string
  at: string
}

/** After a decision: the template as it is now, so the screen shows the new version at once. */
export interface DecisionResult {
  id: string
  version: number
  status: TemplateState
  claimedBy: string | null
  claimExpiresAt: string | null
}

export interface ReviewDecisionResult {
  review: ReviewRow
  ratingAvg: string
  ratingCount: number
}

export interface BulkItemResult {
  templateId: string
  ok: boolean
  /** The new state, or why this item failed (a CONFLICT names who got there first). */
  status?: TemplateState
  error?: { code: string; message: string }
}

export const reviewFilterSchema = z.strictObject({
  templateId: templateId.nullable().default(null),
  search: z.string().trim().max(SEARCH_MAX).default(''),
  rating: z.number().int().min(1).max(5).nullable().default(null),
  hidden: z.enum(['any', 'hidden', 'visible']).default('any')
})
export type ReviewFilter = z.input<typeof reviewFilterSchema>

/** The form and the procedure check alike; the database's CHECKs and policy decide last. */
export const moderationSettingsSchema = z.strictObject({
  slaHours: z.number().int('Whole hours').min(1, 'At least 1 hour').max(24 * 30, 'At most 30 days'),
  claimLeaseMinutes: z.number().int('Whole minutes').min(1, 'At least 1 minute').max(24 * 60, 'At most a day')
})

const page = { offset: z.number().int().min(0).max(1_000_000).default(0), limit: z.number().int().min(1).max(200).default(50) }
const target = { templateId, version: seenVersion }

export const marketplaceProcedures = {
  'marketplace.queue': query(queueFilterSchema.extend(page)).returns<QueuePage>(),
  'marketplace.reasons': query(z.strictObject({})).returns<{ reasons: ReasonOption[] }>(),
  'marketplace.settings': query(z.strictObject({})).returns<ModerationSettings>(),
  'marketplace.updateSettings': mutation(moderationSettingsSchema).returns<ModerationSettings>(),
  'marketplace.template': query(z.strictObject({ templateId })).returns<TemplateDetail>(),
  /** The static analysis of one version (the current one when versionId is null). */
  'marketplace.risk': query(z.strictObject({ templateId, versionId: z.uuid().nullable().default(null) })).returns<RiskReportDto>(),
  /** The current version against the last approved one (or the previous submission when none was approved). */
  'marketplace.diff': query(z.strictObject({ templateId })).returns<VersionDiff>(),
  'marketplace.purchases': query(z.strictObject({ templateId, ...page })).returns<{ rows: PurchaseRow[]; total: number; offset: number }>(),
  'marketplace.history': query(z.strictObject({ templateId })).returns<{ entries: HistoryEntry[] }>(),
  'marketplace.reviews': query(reviewFilterSchema.extend(page)).returns<{ rows: ReviewRow[]; total: number; offset: number }>(),

  'marketplace.claim': mutation(z.strictObject(target)).returns<DecisionResult>(),
  'marketplace.release': mutation(z.strictObject(target)).returns<DecisionResult>(),
  'marketplace.approve': mutation(z.strictObject({ ...target, reasonCode, note: approveNoteSchema.default('') })).returns<DecisionResult>(),
  'marketplace.reject': mutation(z.strictObject({ ...target, reasonCode, note: rejectNoteSchema })).returns<DecisionResult>(),
  'marketplace.publish': mutation(z.strictObject(target)).returns<DecisionResult>(),
  'marketplace.takeDown': mutation(z.strictObject({ ...target, reasonCode, publicReason: takedownReasonSchema })).returns<DecisionResult>(),
  /** Claims and decides each item in its own transaction: one conflict does not undo the others. */
  'marketplace.bulkDecide': mutation(
    z
      .strictObject({
        decision: z.enum(['approve', 'reject']),
        items: z.array(z.strictObject(target)).min(1, 'Select at least one').max(BULK_MAX, `At most ${BULK_MAX} at once`),
        reasonCode,
        note: noteSchema(0)
      })
      .superRefine((input, ctx) => {
        if (input.decision === 'reject' && visibleLength(input.note) < REJECT_NOTE_MIN) {
          ctx.addIssue({ code: 'too_small', origin: 'string', minimum: REJECT_NOTE_MIN, inclusive: true, input: input.note, path: ['note'], message: `At least ${REJECT_NOTE_MIN} visible characters` })
        }
        if (new Set(input.items.map((i) => i.templateId)).size !== input.items.length) {
          ctx.addIssue({ code: 'custom', path: ['items'], message: 'Each template once' })
        }
      })
  ).returns<{ results: BulkItemResult[] }>(),
  'marketplace.hideReview': mutation(z.strictObject({ reviewId: z.uuid(), version: seenVersion, reasonCode, note: hideNoteSchema })).returns<ReviewDecisionResult>(),
  'marketplace.unhideReview': mutation(z.strictObject({ reviewId: z.uuid(), version: seenVersion, reasonCode, note: approveNoteSchema.default('') })).returns<ReviewDecisionResult>()
} as const
