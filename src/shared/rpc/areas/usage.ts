import { z } from 'zod'
import { exportJobIdSchema, type ExportStarted } from '../exports'
import { dataSourceSchema, SEARCH_MAX, type Sourced } from '../list'
import { mutation, query } from '../define'

/*
 * Usage analytics (issue 10). Periods are UTC calendar days, both ends included; amounts are
 * decimal strings (src/shared/decimal.ts), always beside their currency, never summed across
 * currencies. Every answer says where it came from and up to when the rollup is complete.
 */

export const USAGE_TYPES = ['executions', 'ai_calls', 'storage'] as const
export type UsageType = (typeof USAGE_TYPES)[number]
export const TREND_BUCKETS = ['day', 'week', 'month'] as const
export type TrendBucket = (typeof TREND_BUCKETS)[number]

/** Same bound as app.require_period: a longer period is a typo, and would scan years of rollups. */
export const MAX_PERIOD_YEARS = 3
/** Days of the trailing window an anomaly is scored against. */
export const ANOMALY_WINDOW_DAYS = 28
/** A day this many robust deviations (1.4826 × MAD) from its trailing median is an anomaly. */
export const ANOMALY_THRESHOLD = 6

const DAY = /^\d{4}-\d{2}-\d{2}$/
/** The day and period checks' messages: the form matches on them to word each one in the operator's language. */
export const PERIOD_MESSAGES = {
  format: 'A date as YYYY-MM-DD',
  calendar: 'Not a calendar date',
  reversed: 'The period must start before it ends',
  tooLong: `At most ${MAX_PERIOD_YEARS} years`
} as const
/**
 * Date.parse, not new Date().toISOString(): a month 13 must be refused, and toISOString would
 * throw. Year 0 is refused too: JavaScript has it, PostgreSQL's dates do not.
 */
const isCalendarDay = (d: string) => {
  const ms = Date.parse(`${d}T00:00:00Z`)
  return !d.startsWith('0000') && !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d)
}
export const isoDaySchema = z
  .string()
  // abort: Zod runs later checks after a failed one unless told not to, here and in periodSchema's
  // refinements, which read the days as dates
  .regex(DAY, { message: PERIOD_MESSAGES.format, abort: true })
  .refine(isCalendarDay, { message: PERIOD_MESSAGES.calendar, abort: true })

/**
 * The last day a period starting on `from` may end on (three years later, as the database counts).
 * Past year 9999 every day a YYYY-MM-DD can hold is within reach: toISOString would write a
 * six-digit year (`+010000-…`), which sorts before every four-digit one and refused a short period
 * with the wrong reason.
 */
function latestPeriodEnd(from: string): string {
  const d = new Date(`${from}T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() + MAX_PERIOD_YEARS)
  return d.getUTCFullYear() > 9999 ? '9999-12-31' : d.toISOString().slice(0, 10)
}

export const periodSchema = z
  .strictObject({ from: isoDaySchema, to: isoDaySchema })
  .refine((p) => p.from <= p.to, { message: PERIOD_MESSAGES.reversed, path: ['to'] })
  .refine((p) => p.to <= latestPeriodEnd(p.from), { message: PERIOD_MESSAGES.tooLong, path: ['to'] })
export type Period = z.infer<typeof periodSchema>

/** ISO 4217 shape; whether the platform bills in it is the database's (or the cache's) answer. */
export const currencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'A currency code such as EUR')

const source = dataSourceSchema.default('auto')
const tenantId = z.uuid({ message: 'Not a tenant id' })

export const overviewInputSchema = z.strictObject({
  period: periodSchema,
  bucket: z.enum(TREND_BUCKETS).default('day'),
  usageType: z.enum(USAGE_TYPES).nullable().default(null),
  plan: z.string().trim().min(1).max(100).nullable().default(null),
  currency: currencyCodeSchema.nullable().default(null),
  search: z.string().trim().max(SEARCH_MAX).default(''),
  source
})
export type OverviewInput = z.input<typeof overviewInputSchema>
export type OverviewQuery = z.output<typeof overviewInputSchema>

export const tenantUsageInputSchema = z.strictObject({
  tenantId,
  /** 0: the cycle running now, 1: the one before, … */
  cyclesBack: z.number().int().min(0).max(36).default(0),
  source
})
export type TenantUsageQuery = z.output<typeof tenantUsageInputSchema>

export const anomaliesInputSchema = z.strictObject({ period: periodSchema, source })
export type AnomaliesQuery = z.output<typeof anomaliesInputSchema>

export const reconciliationInputSchema = z.strictObject({ period: periodSchema, currency: currencyCodeSchema.nullable().default(null), source })
export type ReconciliationQuery = z.output<typeof reconciliationInputSchema>

export const tenantDaysInputSchema = z.strictObject({ tenantId, period: periodSchema, source })
export type TenantDaysQuery = z.output<typeof tenantDaysInputSchema>

/** Every table of the area exports through the one export path, from the same reads the screen uses. */
export const USAGE_EXPORTS = ['totals', 'trend', 'topTenants', 'tenantDays', 'invoice', 'anomalies', 'overLimit', 'reconciliation', 'unbilled'] as const
export type UsageExportTable = (typeof USAGE_EXPORTS)[number]
export const usageExportInputSchema = z.discriminatedUnion('table', [
  z.strictObject({ table: z.enum(['totals', 'trend', 'topTenants']), input: overviewInputSchema, jobId: exportJobIdSchema }),
  z.strictObject({ table: z.enum(['tenantDays', 'invoice']), input: tenantUsageInputSchema, jobId: exportJobIdSchema }),
  z.strictObject({ table: z.enum(['anomalies', 'overLimit']), input: anomaliesInputSchema, jobId: exportJobIdSchema }),
  z.strictObject({ table: z.enum(['reconciliation', 'unbilled']), input: reconciliationInputSchema, jobId: exportJobIdSchema })
])
export type UsageExportInput = z.input<typeof usageExportInputSchema>

/** Where the answer came from, and up to when every usage record is in the rollup it read. */
export interface UsageSourced extends Sourced {
  /** ISO time; null when the rollup was never folded (or, offline, never synced). */
  completeUpTo: string | null
}

export interface UsageTotal {
  usageType: UsageType
  currency: string
  quantity: number
  /** Decimal string in `currency`. */
  amount: string
}

export interface TrendPoint {
  /** First day of the bucket (a Monday for weeks, the 1st for months). */
  bucket: string
  usageType: UsageType
  quantity: number
}

export interface TopTenant {
  tenantId: string
  name: string
  plan: string | null
  currency: string
  quantity: number
  amount: string
  /** Share of the period's amount in this currency, in basis points. */
  shareBp: number | null
  previousAmount: string
  /** Change against the previous period of the same length, in basis points; null when it had none. */
  changeBp: number | null
}

export interface Overview extends UsageSourced {
  period: Period
  previousPeriod: Period
  totals: UsageTotal[]
  trend: TrendPoint[]
  /** The biggest tenants of each currency, by amount. */
  topTenants: TopTenant[]
  plans: string[]
  currencies: string[]
}

export interface UsageDay {
  date: string
  usageType: UsageType
  currency: string
  quantity: number
  amount: string
}

export interface InvoiceLine {
  line: 'plan_fee' | 'metered'
  usageType: UsageType | null
  quantity: string
  unitPrice: string
  amount: string
}

export interface Invoice {
  currency: string
  lines: InvoiceLine[]
  total: string
}

export interface TenantUsage extends UsageSourced {
  tenant: { id: string; name: string; plan: string | null }
  subscription: { id: string; status: string; planId: string; currency: string } | null
  /** [start, end): the billing cycle shown, aligned to the subscription's period. */
  cycle: { start: string; end: string; days: number; elapsedDays: number }
  previousCycle: { start: string; end: string }
  days: UsageDay[]
  limits: { agentUsageLimit: number | null; storageLimitMb: number | null } | null
  /** Days whose agent calls went over the daily allowance. */
  daysOver: string[]
  invoice: Invoice | null
  /** The invoice if the rest of the cycle runs at this cycle's daily rate so far. */
  projectedTotal: string | null
  previousInvoice: Invoice | null
}

export interface Anomaly {
  tenantId: string
  name: string
  usageType: UsageType
  date: string
  quantity: number
  median: number
  /** Robust z-score: (quantity − median) / (1.4826 × MAD), MAD at least 1. */
  score: number
}

export interface OverLimit {
  tenantId: string
  name: string
  limit: 'agentUsageLimit' | 'storageLimitMb'
  used: number
  allowed: number
  /** The day measured (the last complete UTC day for agent calls, the latest snapshot's for storage). */
  date: string
}

export interface Anomalies extends UsageSourced {
  anomalies: Anomaly[]
  overLimit: OverLimit[]
}

export interface ReconciliationRow {
  tenantId: string
  name: string
  usageType: UsageType
  currency: string
  rollupQuantity: number
  rawQuantity: number
  rollupAmount: string
  rawAmount: string
  amountDifference: string
  quantityDifference: number
}

export interface UnbilledRecord {
  id: string
  tenantId: string
  name: string
  usageType: UsageType
  currency: string
  quantity: number
  recordedAt: string
  problem: 'no_subscription' | 'outside_subscription'
}

export interface Reconciliation extends UsageSourced {
  /** One row per tenant, type and currency over the period; every difference is zero once folded. */
  rows: ReconciliationRow[]
  pendingChanges: number | null
  unbilled: UnbilledRecord[]
}

export const usageProcedures = {
  'usage.overview': query(overviewInputSchema).returns<Overview>(),
  'usage.tenant': query(tenantUsageInputSchema).returns<TenantUsage>(),
  'usage.tenantDays': query(tenantDaysInputSchema).returns<UsageSourced & { days: UsageDay[] }>(),
  'usage.anomalies': query(anomaliesInputSchema).returns<Anomalies>(),
  'usage.reconciliation': query(reconciliationInputSchema).returns<Reconciliation>(),
  'usage.export': mutation(usageExportInputSchema).returns<ExportStarted>()
} as const
