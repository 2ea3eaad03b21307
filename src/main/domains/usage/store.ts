import type { Period, TrendBucket, UsageType } from '../../../shared/rpc/areas/usage'

/**
 * What the usage screens read, as two implementations: PostgreSQL as the operator's role
 * (server-store.ts) and the offline cache (cache-store.ts). Every figure a screen shows is computed
 * from these answers by the same code (compute.ts), so online and offline cannot disagree by
 * construction; each side only aggregates rollup rows, in its own engine, with exact decimals.
 * Amounts are decimal strings in their canonical spelling (src/shared/decimal.ts).
 */

export interface TenantInfo {
  id: string
  slug: string
  name: string
  plan: string | null
}

/** Which rollup rows an aggregate covers; null fields do not filter. */
export interface RollupFilter {
  period: Period
  /** Null: every tenant the operator may read. */
  tenantIds: string[] | null
  usageType: UsageType | null
  currency: string | null
}

export interface TotalRow {
  usageType: UsageType
  currency: string
  quantity: number
  amount: string
}

export interface TrendRow {
  bucket: string
  usageType: UsageType
  quantity: number
}

export interface TenantTotalRow {
  tenantId: string
  currency: string
  quantity: number
  amount: string
}

/** A tenant's day of one type over every currency: quantities only (anomalies, limits). */
export interface DailyQuantity {
  tenantId: string
  usageType: UsageType
  date: string
  quantity: number
  records: number
}

export interface DayRow {
  date: string
  usageType: UsageType
  currency: string
  quantity: number
  amount: string
}

export interface SubscriptionInfo {
  id: string
  status: string
  planId: string
  currency: string
  /** UTC days of the current period's start and end; null when the subscription has none. */
  periodStart: string | null
  periodEnd: string | null
}

export interface InvoiceRow {
  line: 'plan_fee' | 'metered'
  usageType: UsageType | null
  currency: string
  quantity: string
  unitPrice: string
  amount: string
}

export interface LimitRow {
  tenantId: string
  agentUsageLimit: number | null
  storageLimitMb: number | null
}

export interface ReconRow {
  tenantId: string
  usageType: UsageType
  currency: string
  rollupQuantity: number
  rawQuantity: number
  rollupAmount: string
  rawAmount: string
}

export interface UnbilledRow {
  id: string
  tenantId: string
  usageType: UsageType
  currency: string
  quantity: number
  recordedAt: string
  problem: 'no_subscription' | 'outside_subscription'
}

export interface UsageStore {
  completeUpTo(): Promise<string | null>
  /** Codes the platform bills in. */
  currencies(): Promise<string[]>
  tenants(): Promise<TenantInfo[]>
  totals(filter: RollupFilter): Promise<TotalRow[]>
  trend(filter: RollupFilter, bucket: TrendBucket): Promise<TrendRow[]>
  perTenant(filter: RollupFilter): Promise<TenantTotalRow[]>
  dailyQuantities(period: Period): Promise<DailyQuantity[]>
  tenantDays(tenantId: string, period: Period): Promise<DayRow[]>
  subscription(tenantId: string): Promise<SubscriptionInfo | null>
  /** The price book's answer for [start, end): plan fee and metered lines; null without a priced subscription. */
  invoice(tenantId: string, start: string, end: string): Promise<InvoiceRow[] | null>
  limits(): Promise<LimitRow[]>
  reconciliation(period: Period, currency: string | null): Promise<ReconRow[]>
  /** Changes written but not folded yet (server only; the cache has no such count). */
  pendingChanges(): Promise<number | null>
  unbilled(period: Period): Promise<UnbilledRow[]>
}
