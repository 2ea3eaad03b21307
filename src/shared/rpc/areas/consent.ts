import { z } from 'zod'
import { visibleLength } from '../../visible-text'
import { mutation, query } from '../define'
import { exportJobIdSchema, type ExportStarted } from '../exports'

/*
 * The consent area: consent records and their coverage, the identity lookup, the data-subject
 * request queue (with the access export and the four-eyes erasure) and the consent impact on
 * global knowledge. The database (migrations/013) holds every rule; these schemas refuse the same
 * malformed input early, with the same wording, so forms and the main process agree.
 */

export const tenantIdSchema = z.uuid({ message: 'Not a tenant id' })

export const CONSENT_STATES = ['granted', 'revoked'] as const
export type ConsentState = (typeof CONSENT_STATES)[number]

export const IDENTITY_KINDS = ['email', 'phone', 'external_id'] as const
export type IdentityKind = (typeof IDENTITY_KINDS)[number]

export const REQUEST_TYPES = ['access', 'erasure', 'rectification', 'restriction'] as const
export type RequestType = (typeof REQUEST_TYPES)[number]
export const REGULATIONS = ['gdpr', 'ccpa'] as const
export type Regulation = (typeof REGULATIONS)[number]
export const REQUEST_STATUSES = ['received', 'identity_verified', 'in_progress', 'fulfilled', 'denied'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]
/** The states an operator moves a request to (an erasure is fulfilled by its approval). */
export const REQUEST_TARGETS = ['identity_verified', 'in_progress', 'fulfilled', 'denied'] as const
export type RequestTarget = (typeof REQUEST_TARGETS)[number]

export const DERIVED_TABLES = ['learnings', 'embeddings', 'global_context'] as const
export type DerivedTable = (typeof DERIVED_TABLES)[number]

export const REASON_MIN = 10
export const REASON_MAX = 500

/** Same rule as app.visible_length in the database: white space and zero-width characters do not count. */
export const reasonSchema = z
  .string()
  .trim()
  .max(REASON_MAX, `At most ${REASON_MAX} characters`)
  .superRefine((reason, ctx) => {
    if (visibleLength(reason) < REASON_MIN) {
      ctx.addIssue({ code: 'too_small', origin: 'string', minimum: REASON_MIN, inclusive: true, input: reason, message: `At least ${REASON_MIN} visible characters` })
    }
  })

/** The database's own patterns (app.normalize_identity): forms refuse what the lookup would. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[a-z]{2,63}$/
export const PHONE_PATTERN = /^\+[1-9][0-9]{6,14}$/
export const EXTERNAL_ID_PATTERN = /^[a-z][a-z0-9_]{0,15}:[!-~]{1,80}$/

export const identitySchema = z
  .strictObject({ kind: z.enum(IDENTITY_KINDS), identity: z.string().trim().min(1, 'Required').max(255, 'At most 255 characters') })
  .superRefine(({ kind, identity }, ctx) => {
    const ok =
      kind === 'email'
        ? EMAIL_PATTERN.test(identity.toLowerCase())
        : kind === 'phone'
          ? PHONE_PATTERN.test(identity.replace(/[ ().-]/g, ''))
          : EXTERNAL_ID_PATTERN.test(identity)
    if (!ok) {
      const message = kind === 'email' ? 'An e-mail address' : kind === 'phone' ? 'A phone number in international form (+ and 7 to 15 digits)' : 'An external id (channel:identifier)'
      ctx.addIssue({ code: 'custom', path: ['identity'], message })
    }
  })

const consentTypeSchema = z.string().trim().min(1).max(100)
const isoDate = z.iso.date('A date (YYYY-MM-DD)')

export const consentFilterSchema = z.strictObject({
  consentType: consentTypeSchema.nullable().default(null),
  state: z.enum(CONSENT_STATES).nullable().default(null),
  /** The current state began on or after this day (UTC). */
  from: isoDate.nullable().default(null),
  /** … and on or before this day. */
  to: isoDate.nullable().default(null),
  userId: z.string().trim().max(100).default('')
})
export type ConsentFilterInput = z.input<typeof consentFilterSchema>
export type ConsentFilter = z.output<typeof consentFilterSchema>

/** One person's current consent of one type. */
export interface CurrentConsent {
  userId: string
  consentType: string
  granted: boolean
  since: string
  recordId: string
  policyVersion: string | null
  legalBasis: string
}

export interface ConsentPage {
  rows: CurrentConsent[]
  total: number
  offset: number
  types: string[]
}

/** One record of a person's history: a grant, or a revocation naming the grant it ends. */
export interface ConsentRecord {
  id: string
  consentType: string
  granted: boolean
  at: string
  revokesId: string | null
  policyVersion: string | null
  legalBasis: string
  sourceChannel: string | null
  sourceAgent: string | null
  sourceForm: string | null
  hasEvidence: boolean
  recordedBy: string
}

export interface ConsentCoverage {
  /** People with a session active in the last `activeDays` days. */
  activeUsers: number
  activeDays: number
  types: { consentType: string; granted: number; share: number | null }[]
  /** Grants and revocations per UTC day over the last `days` days. */
  overTime: { day: string; grants: number; revocations: number }[]
  days: number
}

export interface SubjectMatch {
  subjectId: string
  tenantId: string
  tenantName: string
  externalId: string
  email: string | null
  phone: string | null
}

export interface SubjectRequest {
  id: string
  tenantId: string
  subjectId: string | null
  externalId: string | null
  requestType: RequestType
  regulation: Regulation
  status: RequestStatus
  receivedAt: string
  dueAt: string
  /** Whole days to the due date (negative when overdue); null once closed. */
  daysLeft: number | null
  overdue: boolean
  extensionReason: string | null
  assignedTo: string | null
  requestedBy: string
  identityVerifiedBy: string | null
  erasureApprovedBy: string | null
  denialReason: string | null
  closedAt: string | null
  version: number
}

export interface ErasureReceipt {
  id: string
  requestId: string
  requestedBy: string
  approvedBy: string
  erasedAt: string
  removed: Record<string, number>
  pseudonymized: Record<string, number>
}

export interface ImpactRow {
  tenantId: string
  derivedTable: DerivedTable
  derivedId: string
  reason: 'revoked' | 'erased'
  quarantined: boolean
}

export interface ImpactTotals {
  /** null: the total over every visible tenant. */
  tenantId: string | null
  revoked: number
  erased: number
  quarantined: number
  total: number
}

const tenantOnly = z.strictObject({ tenantId: tenantIdSchema })
const requestRef = { requestId: z.uuid({ message: 'Not a request id' }), version: z.number().int().min(1) }

export const consentProcedures = {
  'consent.list': query(
    z.strictObject({
      tenantId: tenantIdSchema,
      filter: consentFilterSchema.default({ consentType: null, state: null, from: null, to: null, userId: '' }),
      offset: z.number().int().min(0).max(1_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(200)
    })
  ).returns<ConsentPage>(),
  'consent.history': query(z.strictObject({ tenantId: tenantIdSchema, userId: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters') })).returns<{ records: ConsentRecord[] }>(),
  'consent.coverage': query(tenantOnly).returns<ConsentCoverage>(),
  /** The filtered current consents as CSV, through the one export path. */
  'consent.export': mutation(z.strictObject({ tenantId: tenantIdSchema, filter: consentFilterSchema, jobId: exportJobIdSchema })).returns<ExportStarted>(),
  /** Audited by the database (a keyed hash of the identity, never the identity). */
  'consent.lookup': mutation(identitySchema).returns<{ matches: SubjectMatch[] }>(),
  'consent.requests': query(
    z.strictObject({ tenantId: tenantIdSchema, status: z.enum(REQUEST_STATUSES).nullable().default(null), limit: z.number().int().min(1).max(500).default(200) })
  ).returns<{ requests: SubjectRequest[] }>(),
  'consent.createRequest': mutation(
    z.strictObject({ tenantId: tenantIdSchema, subjectId: z.uuid({ message: 'Not a data subject id' }), requestType: z.enum(REQUEST_TYPES), regulation: z.enum(REGULATIONS) })
  ).returns<SubjectRequest>(),
  'consent.advanceRequest': mutation(
    z
      .strictObject({ ...requestRef, to: z.enum(REQUEST_TARGETS), reason: reasonSchema.nullable().default(null) })
      .refine((v) => v.to !== 'denied' || v.reason !== null, { path: ['reason'], message: `At least ${REASON_MIN} visible characters` })
  ).returns<SubjectRequest>(),
  'consent.extendRequest': mutation(z.strictObject({ ...requestRef, reason: reasonSchema })).returns<SubjectRequest>(),
  'consent.assignRequest': mutation(z.strictObject({ ...requestRef, assignee: z.string().trim().min(1).max(63).nullable() })).returns<SubjectRequest>(),
  /** Four eyes: an admin other than the requester; the database refuses a self-approval. */
  'consent.approveErasure': mutation(z.strictObject(requestRef)).returns<ErasureReceipt>(),
  /** One person's data in one tenant as a ZIP (one JSON file per table, consents as CSV, a SHA-256 manifest). */
  'consent.accessExport': mutation(z.strictObject({ tenantId: tenantIdSchema, requestId: z.uuid({ message: 'Not a request id' }), jobId: exportJobIdSchema })).returns<ExportStarted>(),
  'consent.impact': query(z.strictObject({})).returns<{ rows: ImpactRow[]; totals: ImpactTotals[] }>(),
  'consent.resolveImpact': mutation(
    z.strictObject({ action: z.enum(['quarantine', 'purge']), derivedTable: z.enum(DERIVED_TABLES), derivedId: z.uuid(), reason: reasonSchema })
  ).returns<{ ok: true }>()
} as const
