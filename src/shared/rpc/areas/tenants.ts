import { z } from 'zod'
import { BIDI_CONTROLS, BIDI_MESSAGE, visibleLength } from '../../visible-text'
import { mutation, query } from '../define'
import { SEARCH_MAX } from '../list'
import { exportJobIdSchema, type ExportStarted } from '../exports'
import type { Sourced } from '../list'

/*
 * The tenants-and-support area: directory, detail, changes, support views and the timeline.
 * The rules below are the renderer's validation too, so a form and the server never disagree.
 */

export const TENANT_STATUSES = ['active', 'suspended', 'closed'] as const
export type TenantStatus = (typeof TENANT_STATUSES)[number]

export const tenantIdSchema = z.uuid({ message: 'Not a tenant id' })

/** Hard ceilings far above any plan: a value beyond one is a typo, not a negotiation. */
export const LIMIT_FIELDS = ['agentUsageLimit', 'requestsPerMinute', 'requestsPerHour', 'storageLimitMb'] as const
export type LimitField = (typeof LIMIT_FIELDS)[number]
export const LIMIT_MAXIMUMS: Record<LimitField, number> = {
  agentUsageLimit: 10_000_000,
  requestsPerMinute: 1_000_000,
  requestsPerHour: 60_000_000,
  storageLimitMb: 10_485_760
}

/**
 * Same pattern as the tenant_domains CHECK constraint (migration 022): lowercase ASCII labels, and a
 * letters-only or internationalized (xn--) top-level domain.
 */
export const HOSTNAME_PATTERN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/

/** Characters that make a typed host name a URL (scheme, credentials, port, path, query…): never a bare host. */
const URL_PARTS = /[\s/\\?#@:[\]%]/

/** Node's and Chromium's URL class (the shared code is type-checked without either environment's types). */
const WhatwgUrl = (globalThis as unknown as { URL: new (input: string) => { hostname: string } }).URL

/**
 * An internationalized domain name (ñandú.es) as it is stored and looked up in DNS: its punycode
 * (xn--and-6ma2c.es), by the WHATWG URL parser's domain-to-ASCII (the same in Node and Chromium).
 * ASCII comes back as typed; anything that is not a bare host name is left for the pattern to refuse.
 */
export function hostnameToAscii(hostname: string): string {
  if (/^[\x21-\x7e]*$/.test(hostname) || URL_PARTS.test(hostname)) return hostname
  try {
    return new WhatwgUrl(`http://${hostname}`).hostname
  } catch {
    return hostname
  }
}
export const REASON_MIN = 10
export const REASON_MAX = 500
export const BREAK_GLASS_MAX_MINUTES = 480
/** Active credentials expiring within this many days count as "expiring soon". */
export const CREDENTIAL_WARNING_DAYS = 14
/** Answers below this confidence are highlighted (a tenant's own handoff threshold wins). */
export const LOW_CONFIDENCE_DEFAULT = 0.5

/**
 * Reasons are read later in the audit trail: white space and zero-width characters do not count
 * (the database applies the same rule). Reported as a too-short string, so forms say "at least".
 */
export const reasonSchema = z
  .string()
  .trim()
  .max(REASON_MAX, `At most ${REASON_MAX} characters`)
  .superRefine((reason, ctx) => {
    if (visibleLength(reason) < REASON_MIN) {
      ctx.addIssue({ code: 'too_small', origin: 'string', minimum: REASON_MIN, inclusive: true, input: reason, message: `At least ${REASON_MIN} visible characters` })
    }
  })

export const hostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'At most 253 characters')
  .transform(hostnameToAscii)
  .pipe(z.string().max(253, 'At most 253 characters').regex(HOSTNAME_PATTERN, 'A host name such as chat.example.com'))

const limitValue = (field: LimitField) =>
  z.number({ message: 'A whole number' }).int('A whole number').min(0, 'Zero or more').max(LIMIT_MAXIMUMS[field], `At most ${LIMIT_MAXIMUMS[field]}`)

export const limitsSchema = z
  .strictObject({
    agentUsageLimit: limitValue('agentUsageLimit'),
    requestsPerMinute: limitValue('requestsPerMinute'),
    requestsPerHour: limitValue('requestsPerHour'),
    storageLimitMb: limitValue('storageLimitMb')
  })
  .refine((l) => l.requestsPerHour >= l.requestsPerMinute, { path: ['requestsPerHour'], message: 'At least the requests per minute' })
export type TenantLimits = z.infer<typeof limitsSchema>

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .refine((v) => !BIDI_CONTROLS.test(v), BIDI_MESSAGE)
    .transform((v) => (v === '' ? null : v))
    .nullable()

export const profileSchema = z.strictObject({
  name: z.string().trim().min(1, 'Required').max(255, 'At most 255 characters').refine((v) => !BIDI_CONTROLS.test(v), BIDI_MESSAGE),
  contactEmail: z
    .union([z.literal(''), z.email('An e-mail address').max(255, 'At most 255 characters')])
    .transform((v) => (v === '' ? null : v))
    .nullable(),
  websiteUrl: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, message: 'An http(s) address' }).max(500, 'At most 500 characters')])
    .transform((v) => (v === '' ? null : v))
    .nullable(),
  businessIndustry: optionalText(100)
})
export type TenantProfileInput = z.input<typeof profileSchema>

export const DIRECTORY_SORTS = ['name', 'status', 'plan', 'verifiedDomains', 'usage', 'credentialsExpiring', 'createdAt'] as const
export type DirectorySort = (typeof DIRECTORY_SORTS)[number]

const filterText = z.string().trim().max(100)
export const directoryFilterSchema = z.strictObject({
  search: z.string().trim().max(SEARCH_MAX).default(''),
  status: z.enum(TENANT_STATUSES).nullable().default(null),
  plan: filterText.nullable().default(null),
  industry: filterText.nullable().default(null),
  sort: z.enum(DIRECTORY_SORTS).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc')
})
export type DirectoryFilter = z.input<typeof directoryFilterSchema>
/** A directory filter with every field set, as the handlers receive it. */
export type DirectoryQuery = z.output<typeof directoryFilterSchema>

export const TIMELINE_KINDS = ['audit', 'execution', 'breach', 'consent', 'credential'] as const
export type TimelineKind = (typeof TIMELINE_KINDS)[number]

/** Opaque to the renderer: the position of the last entry shown (microsecond time and key). */
export const timelineCursorSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\|[a-z]+:[A-Za-z0-9:.-]{1,120}$/, 'Not a timeline position')

export interface DirectoryRow {
  id: string
  slug: string
  name: string
  contactEmail: string | null
  businessIndustry: string | null
  plan: string
  status: TenantStatus
  /** As people read them (Unicode for internationalized names). */
  domains: string[]
  domainCount: number
  verifiedDomains: number
  /** Agent calls on the last complete UTC day, against the daily allowance. */
  agentUsage: number
  agentUsageLimit: number | null
  /** agentUsage / agentUsageLimit; null without limits. */
  usageRatio: number | null
  credentialsExpiring: number
  nextCredentialExpiry: string | null
  createdAt: string
  /** Reached through a break-glass grant (not assigned): when the grant ends; null otherwise. */
  breakGlassUntil: string | null
}

export interface DirectoryPage {
  rows: DirectoryRow[]
  /** Exact unless totalCapped: then there are more matches than this (the count stops at a cap). */
  total: number
  totalCapped: boolean
  offset: number
}

export interface DirectoryFacets {
  plans: string[]
  industries: string[]
}

/**
 * A row of the narrow tenant list every group can use (finance, moderators): names, and the plan
 * and status where the role's grants include them (null where they do not).
 */
export interface TenantName {
  id: string
  slug: string
  name: string
  plan: string | null
  status: TenantStatus | null
}

/** A synced tenant's directory fields as the offline cache holds them (null where the role's grants leave a field out). */
export interface CachedTenant extends TenantName {
  industry: string | null
  agentUsageLimit: number | null
  storageLimitMb: number | null
}

/** Online from the server; offline from the cached directory of the synced tenants. */
export interface TenantNamesPage extends Sourced {
  rows: TenantName[]
  total: number
  offset: number
}

export interface TenantLookupMatch {
  id: string
  slug: string
  name: string
  /** Already visible to the operator: open it instead of asking for access. */
  visible: boolean
}

export interface BreakGlassGrant {
  tenantId: string
  expiresAt: string
}

export interface TenantProfile {
  id: string
  slug: string
  name: string
  contactEmail: string | null
  websiteUrl: string | null
  businessIndustry: string | null
  plan: string
  status: TenantStatus
  statusReason: string | null
  statusChangedAt: string | null
  createdAt: string
  updatedAt: string
  updatedBy: string
}

export interface TenantDomain {
  id: string
  /** As stored and as DNS knows it: punycode for an internationalized name (xn--and-6ma2c.es). */
  domain: string
  /** As people read it: the Unicode form (ñandú.es); the same as `domain` for an ASCII name. */
  displayDomain: string
  verified: boolean
  verifiedAt: string | null
  createdAt: string
  /** The DNS TXT record that proves ownership. */
  txtRecord: { name: string; value: string }
}

export interface UsageGauge {
  limit: LimitField
  used: number
  allowed: number | null
  /** What `used` measures, as a message key. */
  basis: 'agentCallsLastDay' | 'busiestMinuteLastDay' | 'busiestHourLastDay' | 'latestStorageSnapshot'
}

export interface CredentialsSummary {
  total: number
  active: number
  expiringSoon: number
  expired: number
  nextExpiry: string | null
}

export interface FailedExecution {
  id: string
  workflowName: string | null
  status: string
  errorMessage: string | null
  startedAt: string
  finishedAt: string | null
}

export interface TenantDetail {
  profile: TenantProfile
  limits: TenantLimits | null
  domains: TenantDomain[]
  usage: UsageGauge[]
  credentials: CredentialsSummary
  failedExecutions: FailedExecution[]
  access: { kind: 'all' | 'assigned' | 'break_glass'; expiresAt: string | null }
  lowConfidenceBelow: number
}

export interface SessionContext {
  userPreferences: Record<string, unknown>
  businessContext: Record<string, unknown>
  sessionMetadata: Record<string, unknown>
}

export interface SupportSession {
  id: string
  sessionKey: string
  userId: string | null
  channel: string | null
  device: string | null
  lastActivity: string
  expiresAt: string | null
  expired: boolean
  conversationCount: number
  context: SessionContext
}

export interface TranscriptMessage {
  id: string
  createdAt: string
  userId: string | null
  message: string | null
  response: string | null
  agentName: string | null
  sentiment: 'positive' | 'negative' | 'neutral' | null
  confidence: number | null
  lowConfidence: boolean
}

export interface Transcript {
  session: SupportSession
  messages: TranscriptMessage[]
  lowConfidenceBelow: number
}

export interface ConversationMatch extends TranscriptMessage {
  sessionId: string | null
}

export interface TimelineEntry {
  /** Unique within the timeline (kind + source id + what happened). */
  key: string
  kind: TimelineKind
  at: string
  actor: string | null
  /** What happened, as a stable code (e.g. 'UPDATE', 'failed', 'granted', 'expired', 'agentCalls'). */
  event: string
  /** The table, workflow, consent type or limit concerned. */
  subject: string | null
  detail: string | null
  changes: { field: string; before: unknown; after: unknown }[]
  /** Limit breaches: how much was used against how much was allowed. */
  measure: { used: number; allowed: number } | null
}

export interface TimelinePage {
  entries: TimelineEntry[]
  /** Pass as `before` for the next page; null at the end. */
  nextBefore: string | null
}

const tenantOnly = z.strictObject({ tenantId: tenantIdSchema })

export const tenantsProcedures = {
  'tenants.list': query(
    directoryFilterSchema.extend({
      offset: z.number().int().min(0).max(1_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(200)
    })
  ).returns<DirectoryPage>(),
  'tenants.names': query(
    z.strictObject({
      search: z.string().trim().max(SEARCH_MAX).default(''),
      offset: z.number().int().min(0).max(1_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(200)
    })
  ).returns<TenantNamesPage>(),
  /** Offline: a synced tenant's directory fields from the cache (the rest of the detail needs the server). */
  'tenants.cached': query(z.strictObject({ tenantId: tenantIdSchema })).returns<Sourced & { tenant: CachedTenant }>(),
  'tenants.facets': query(z.strictObject({})).returns<DirectoryFacets>(),
  /** The filtered directory as CSV, through the one export path (src/shared/rpc/exports.ts). */
  'tenants.export': mutation(z.strictObject({ filter: directoryFilterSchema, jobId: exportJobIdSchema })).returns<ExportStarted>(),
  'tenants.search': query(z.strictObject({ query: z.string().trim().min(1).max(SEARCH_MAX), limit: z.number().int().min(1).max(20).default(8) })).returns<{
    matches: { id: string; slug: string; name: string; status: TenantStatus }[]
  }>(),
  'tenants.lookup': query(z.strictObject({ term: z.string().trim().min(3, 'At least 3 characters').max(500) })).returns<{ matches: TenantLookupMatch[] }>(),
  'tenants.requestAccess': mutation(
    z.strictObject({
      tenantId: tenantIdSchema,
      reason: reasonSchema,
      minutes: z.number().int('Whole minutes').min(1, 'At least 1 minute').max(BREAK_GLASS_MAX_MINUTES, `At most ${BREAK_GLASS_MAX_MINUTES} minutes`)
    })
  ).returns<BreakGlassGrant>(),
  'tenants.get': query(tenantOnly).returns<TenantDetail>(),
  'tenants.updateProfile': mutation(z.strictObject({ tenantId: tenantIdSchema, profile: profileSchema })).returns<TenantProfile>(),
  'tenants.setStatus': mutation(z.strictObject({ tenantId: tenantIdSchema, status: z.enum(TENANT_STATUSES), reason: reasonSchema })).returns<TenantProfile>(),
  'tenants.updateLimits': mutation(z.strictObject({ tenantId: tenantIdSchema, limits: limitsSchema })).returns<{ before: TenantLimits | null; after: TenantLimits }>(),
  'tenants.addDomain': mutation(z.strictObject({ tenantId: tenantIdSchema, domain: hostnameSchema })).returns<TenantDomain>(),
  'tenants.removeDomain': mutation(z.strictObject({ tenantId: tenantIdSchema, domainId: z.uuid() })).returns<{ id: string }>(),
  'tenants.sessions': query(
    z.strictObject({ tenantId: tenantIdSchema, offset: z.number().int().min(0).max(1_000_000).default(0), limit: z.number().int().min(1).max(200).default(100) })
  ).returns<{ sessions: SupportSession[]; total: number }>(),
  'tenants.transcript': query(z.strictObject({ tenantId: tenantIdSchema, sessionId: z.uuid() })).returns<Transcript>(),
  'tenants.searchConversations': query(
    z.strictObject({ tenantId: tenantIdSchema, query: z.string().trim().min(2, 'At least 2 characters').max(SEARCH_MAX), limit: z.number().int().min(1).max(200).default(50) })
  ).returns<{ matches: ConversationMatch[]; lowConfidenceBelow: number }>(),
  'tenants.timeline': query(
    z.strictObject({
      tenantId: tenantIdSchema,
      kinds: z.array(z.enum(TIMELINE_KINDS)).min(1).max(TIMELINE_KINDS.length).default([...TIMELINE_KINDS]),
      before: timelineCursorSchema.nullable().default(null),
      limit: z.number().int().min(1).max(500).default(100)
    })
  ).returns<TimelinePage>()
} as const
