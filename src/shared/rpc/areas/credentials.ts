import { z } from 'zod'
import { visibleLength } from '../../visible-text'
import { mutation, query } from '../define'
import { SEARCH_MAX } from '../list'
import { exportJobIdSchema, type ExportStarted } from '../exports'

/*
 * Credential rotation (issue 13): every credential of the visible tenants, its versions, rolls
 * with a grace period, revocations and roll requests. No procedure ever returns a secret except
 * the roll that creates it (shown once, then gone), and none takes one as input.
 */

export const CREDENTIAL_KINDS = ['client_secret', 'webhook_secret', 'jwt_signing_key'] as const
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number]

/** A credential as a whole: revoked, rolling (an old version is still in its grace period) or active. */
export const CREDENTIAL_STATES = ['active', 'rolling', 'revoked', 'requested'] as const
export type CredentialStateFilter = (typeof CREDENTIAL_STATES)[number]
export type CredentialState = Exclude<CredentialStateFilter, 'requested'>

/** How soon the active version reaches its maximum age: 'attention' is due or overdue. */
export const DUE_FILTERS = ['due', 'overdue', 'attention'] as const
export type DueFilter = (typeof DUE_FILTERS)[number]
export type DueStatus = 'ok' | 'due' | 'overdue'
/** A version this close to its expiry is due for a roll (as the directory's "expiring soon"). */
export const CREDENTIAL_DUE_DAYS = 14

/** A version's state at the time of reading: 'expired' is a retiring version past its grace end. */
export type VersionState = 'pending' | 'active' | 'retiring' | 'expired' | 'revoked'

/** Stripe's choices: at once, or with the old version still valid for a while. */
export const GRACE_PERIODS = ['now', '1h', '24h', '3d', '7d'] as const
export type GracePeriod = (typeof GRACE_PERIODS)[number]
export const GRACE_INTERVALS: Record<GracePeriod, string> = { now: '0', '1h': '1 hour', '24h': '24 hours', '3d': '3 days', '7d': '7 days' }

export const REASON_MIN = 10
export const REASON_MAX = 500
export const BULK_ROLL_MAX = 1000
export const POLICY_MAX_DAYS = 3650

const reasonSchema = z
  .string()
  .trim()
  .max(REASON_MAX, `At most ${REASON_MAX} characters`)
  .superRefine((reason, ctx) => {
    if (visibleLength(reason) < REASON_MIN) {
      ctx.addIssue({ code: 'too_small', origin: 'string', minimum: REASON_MIN, inclusive: true, input: reason, message: `At least ${REASON_MIN} visible characters` })
    }
  })

const idSchema = z.uuid({ message: 'Not an id' })
/** The version number the operator saw active (null: the credential had none), so a stale roll is a CONFLICT. */
const seenVersionSchema = z.number().int().min(1).max(1_000_000).nullable()

export const credentialFilterSchema = z.strictObject({
  search: z.string().trim().max(SEARCH_MAX).default(''),
  kind: z.enum(CREDENTIAL_KINDS).nullable().default(null),
  state: z.enum(CREDENTIAL_STATES).nullable().default(null),
  due: z.enum(DUE_FILTERS).nullable().default(null),
  tenantId: idSchema.nullable().default(null)
})
export type CredentialFilter = z.input<typeof credentialFilterSchema>
export type CredentialQuery = z.output<typeof credentialFilterSchema>

/** Opaque to the renderer: the expiry (or 'infinity') and id of the last row shown. */
export const credentialCursorSchema = z.string().regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z|infinity)\|[0-9a-f-]{36}$/, 'Not a list position')

export interface CredentialRow {
  id: string
  tenantId: string
  tenantSlug: string
  tenantName: string
  label: string | null
  clientId: string
  kind: CredentialKind
  state: CredentialState
  due: DueStatus
  /** The active version's number; null once revoked as a whole. */
  version: number | null
  /** When the active version was activated: the credential's age counts from here. */
  activatedAt: string | null
  createdAt: string
  lastRotatedAt: string | null
  expiresAt: string | null
  lastUsedAt: string | null
  /** During a grace period: when the old version stops working, and when it was last used. */
  graceEndsAt: string | null
  retiringLastUsedAt: string | null
  rollRequestedAt: string | null
  rollRequestedBy: string | null
  revokedAt: string | null
}

export interface CredentialPage {
  rows: CredentialRow[]
  nextCursor: string | null
}

export interface CredentialCounts {
  total: number
  overdue: number
  due: number
  rolling: number
  requested: number
  revoked: number
}

export interface CredentialVersion {
  id: string
  version: number
  state: VersionState
  valid: boolean
  /** Client secrets: the visible start of the secret. */
  secretPrefix: string | null
  fingerprint: string | null
  jwtKid: string | null
  /** The runtime key a sealed secret is sealed to. */
  sealedToKey: string | null
  createdAt: string
  activatedAt: string | null
  expiresAt: string | null
  retiringAt: string | null
  graceEndsAt: string | null
  revokedAt: string | null
  revokedBy: string | null
  revokeReason: string | null
  lastUsedAt: string | null
  createdBy: string
}

export interface CredentialDetail {
  credential: CredentialRow
  versions: CredentialVersion[]
  rollRequestNote: string | null
  revokeReason: string | null
}

export interface CredentialPolicy {
  kind: CredentialKind
  maxAgeDays: number
  updatedAt: string
  updatedBy: string
}

/**
 * The reply of a roll: the only message that ever carries a secret. The renderer shows it once and
 * drops it; nothing stores it.
 */
export interface RollResult {
  credentialId: string
  version: CredentialVersion
  /** The new client or webhook secret; null for a JWT signing key (its public key is in the JWKS). */
  secret: string | null
}

export interface BulkRollResult {
  rolled: RollResult[]
  failed: { credentialId: string; message: string }[]
}

const credentialRef = z.strictObject({ tenantId: idSchema, credentialId: idSchema })
const rollTarget = credentialRef.extend({ seenVersion: seenVersionSchema })

export const credentialsProcedures = {
  'credentials.list': query(
    credentialFilterSchema.extend({ after: credentialCursorSchema.nullable().default(null), limit: z.number().int().min(1).max(500).default(200) })
  ).returns<CredentialPage>(),
  'credentials.counts': query(z.strictObject({})).returns<CredentialCounts>(),
  'credentials.get': query(credentialRef).returns<CredentialDetail>(),
  'credentials.policies': query(z.strictObject({})).returns<{ policies: CredentialPolicy[] }>(),
  'credentials.setPolicy': mutation(
    z.strictObject({
      kind: z.enum(CREDENTIAL_KINDS),
      maxAgeDays: z.number({ message: 'A whole number of days' }).int('A whole number of days').min(1, 'At least 1 day').max(POLICY_MAX_DAYS, `At most ${POLICY_MAX_DAYS} days`)
    })
  ).returns<CredentialPolicy>(),
  'credentials.roll': mutation(rollTarget.extend({ grace: z.enum(GRACE_PERIODS) })).returns<RollResult>(),
  /** The due ones in one go, one grace for all; progress events under jobId. */
  'credentials.rollMany': mutation(
    z.strictObject({ targets: z.array(rollTarget).min(1).max(BULK_ROLL_MAX), grace: z.enum(GRACE_PERIODS), jobId: exportJobIdSchema })
  ).returns<BulkRollResult>(),
  'credentials.revokeVersion': mutation(
    z.strictObject({ tenantId: idSchema, versionId: idSchema, reason: reasonSchema, confirmation: z.string().max(200) })
  ).returns<CredentialVersion>(),
  'credentials.revoke': mutation(credentialRef.extend({ reason: reasonSchema, confirmation: z.string().max(200) })).returns<CredentialRow>(),
  'credentials.requestRoll': mutation(credentialRef.extend({ note: reasonSchema })).returns<CredentialRow>(),
  /** The public keys of a JWT signing credential's valid versions, as the runtime publishes them (RFC 7517). */
  'credentials.jwks': query(credentialRef).returns<{ keys: Record<string, unknown>[] }>(),
  /** The filtered list as CSV (never a secret: there is none to write). */
  'credentials.export': mutation(z.strictObject({ filter: credentialFilterSchema, jobId: exportJobIdSchema })).returns<ExportStarted>()
} as const
