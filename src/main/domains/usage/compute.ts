import { fromMicros, ratioBasisPoints, toMicros } from '../../../shared/decimal'
import { RpcError } from '../../../shared/rpc/errors'
import {
  ANOMALY_THRESHOLD,
  ANOMALY_WINDOW_DAYS,
  MAX_PERIOD_YEARS,
  type Anomalies,
  type Anomaly,
  type AnomaliesQuery,
  type Invoice,
  type OverLimit,
  type Overview,
  type OverviewQuery,
  type Period,
  type Reconciliation,
  type ReconciliationQuery,
  type TenantDaysQuery,
  type TenantUsage,
  type TenantUsageQuery,
  type TopTenant,
  type UsageDay
} from '../../../shared/rpc/areas/usage'
import type { InvoiceRow, TenantInfo, TenantTotalRow, UsageStore } from './store'

/**
 * Every figure of the usage screens, computed from a store's answers: the server and the cache
 * run this same code, so the same rollup rows give the same screen. Money stays in BigInt
 * millionths; only ratios (shares, changes, scores) become numbers, and they are not money.
 */

const DAY_MS = 86_400_000
/** Top tenants listed per currency. */
export const TOP_TENANTS = 10

export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
export const utcToday = (now = Date.now()) => new Date(now).toISOString().slice(0, 10)

/** The same number of days, ending the day before `period` starts. */
export function previousPeriod(period: Period): Period {
  const length = daysBetween(period.from, period.to)
  const to = addDays(period.from, -1)
  const from = addDays(to, -length)
  // A three-year period's predecessor can hold one leap day more: it is cut to three years, the longest period there is.
  const earliest = addMonths(to, -12 * MAX_PERIOD_YEARS)
  return { from: from < earliest ? earliest : from, to }
}

/** `day` moved by whole months, its day of month kept where the month has it (else the month's last). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const first = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10)
}

async function requireCurrency(store: UsageStore, currency: string | null): Promise<void> {
  if (currency !== null && !(await store.currencies()).includes(currency)) {
    throw new RpcError('INVALID', `Unknown currency ${currency}.`, { issues: [{ path: 'currency', message: 'Not a currency the platform bills in' }] })
  }
}

/** Unknown and invisible tenants get the same answer, as in the database (no existence oracle). */
function requireTenant(tenants: TenantInfo[], tenantId: string): TenantInfo {
  const tenant = tenants.find((t) => t.id === tenantId)
  if (!tenant) throw new RpcError('NOT_FOUND', 'Unknown tenant (or you may not see its usage).', { issues: [{ path: 'tenantId', message: 'Unknown tenant' }] })
  return tenant
}

const namesOf = (tenants: TenantInfo[]) => new Map(tenants.map((t) => [t.id, t]))

/** Plan and search filters, as tenant ids; null when neither filters. */
function chosenTenants(tenants: TenantInfo[], plan: string | null, search: string): string[] | null {
  const needle = search.trim().toLocaleLowerCase()
  if (plan === null && needle === '') return null
  return tenants
    .filter((t) => (plan === null || t.plan === plan) && (needle === '' || t.name.toLocaleLowerCase().includes(needle) || t.slug.includes(needle)))
    .map((t) => t.id)
}

export async function overview(store: UsageStore, input: OverviewQuery): Promise<Omit<Overview, 'source' | 'syncedAt'>> {
  await requireCurrency(store, input.currency)
  const tenants = await store.tenants()
  const names = namesOf(tenants)
  const previous = previousPeriod(input.period)
  const base = { tenantIds: chosenTenants(tenants, input.plan, input.search), usageType: input.usageType, currency: input.currency }
  const current = { ...base, period: input.period }
  const [completeUpTo, totals, trend, perTenant] = await Promise.all([
    store.completeUpTo(),
    store.totals(current),
    store.trend(current, input.bucket),
    store.perTenant(current)
  ])
  // The previous period is read for the listed tenants only: the change is shown for them alone.
  const top = topTenants(perTenant, [], names)
  const listed = [...new Set(top.map((t) => t.tenantId))].sort()
  const before = listed.length === 0 ? [] : await store.perTenant({ ...base, tenantIds: listed, period: previous })
  return {
    completeUpTo,
    period: input.period,
    previousPeriod: previous,
    totals,
    trend,
    topTenants: topTenants(perTenant, before, names),
    plans: [...new Set(tenants.map((t) => t.plan).filter((p): p is string => p !== null))].sort(),
    currencies: [...new Set(totals.map((t) => t.currency))].sort()
  }
}

/** The biggest tenants of each currency by amount, with their share of it and the change since the previous period. */
export function topTenants(current: TenantTotalRow[], previous: TenantTotalRow[], names: Map<string, TenantInfo>): TopTenant[] {
  const before = new Map(previous.map((r) => [`${r.tenantId}|${r.currency}`, toMicros(r.amount)]))
  const byCurrency = new Map<string, TenantTotalRow[]>()
  for (const row of current) byCurrency.set(row.currency, [...(byCurrency.get(row.currency) ?? []), row])
  const result: TopTenant[] = []
  for (const currency of [...byCurrency.keys()].sort()) {
    const rows = byCurrency.get(currency)!
    const total = rows.reduce((sum, r) => sum + toMicros(r.amount), 0n)
    const ranked = [...rows].sort((a, b) => {
      const diff = toMicros(b.amount) - toMicros(a.amount)
      return diff > 0n ? 1 : diff < 0n ? -1 : a.tenantId < b.tenantId ? -1 : 1
    })
    for (const row of ranked.slice(0, TOP_TENANTS)) {
      const amount = toMicros(row.amount)
      const prior = before.get(`${row.tenantId}|${currency}`) ?? 0n
      const tenant = names.get(row.tenantId)
      result.push({
        tenantId: row.tenantId,
        name: tenant?.name ?? row.tenantId,
        plan: tenant?.plan ?? null,
        currency,
        quantity: row.quantity,
        amount: row.amount,
        shareBp: ratioBasisPoints(amount, total),
        previousAmount: fromMicros(prior),
        changeBp: ratioBasisPoints(amount - prior, prior)
      })
    }
  }
  return result
}

function toInvoice(rows: InvoiceRow[] | null): Invoice | null {
  if (!rows || rows.length === 0) return null
  return {
    currency: rows[0]!.currency,
    lines: rows.map((r) => ({ line: r.line, usageType: r.usageType, quantity: r.quantity, unitPrice: r.unitPrice, amount: r.amount })),
    total: fromMicros(rows.reduce((sum, r) => sum + toMicros(r.amount), 0n))
  }
}

export async function tenantUsage(store: UsageStore, input: TenantUsageQuery, now = Date.now()): Promise<Omit<TenantUsage, 'source' | 'syncedAt'>> {
  const tenant = requireTenant(await store.tenants(), input.tenantId)
  const subscription = await store.subscription(tenant.id)
  const today = utcToday(now)
  // Aligned to the subscription's period; a tenant without one is shown by calendar month.
  const anchorStart = subscription?.periodStart ?? `${today.slice(0, 8)}01`
  const anchorEnd = subscription?.periodEnd ?? addMonths(anchorStart, 1)
  const start = addMonths(anchorStart, -input.cyclesBack)
  const end = addMonths(anchorEnd, -input.cyclesBack)
  const previousCycle = { start: addMonths(anchorStart, -input.cyclesBack - 1), end: start }
  const days = daysBetween(start, end)
  const elapsedDays = Math.min(days, Math.max(1, daysBetween(start, today) + 1))
  const [completeUpTo, usage, limitRows, invoiceRows, previousRows] = await Promise.all([
    store.completeUpTo(),
    store.tenantDays(tenant.id, { from: start, to: addDays(end, -1) }),
    store.limits(),
    store.invoice(tenant.id, start, end),
    store.invoice(tenant.id, previousCycle.start, previousCycle.end)
  ])
  const limit = limitRows.find((l) => l.tenantId === tenant.id) ?? null
  const invoice = toInvoice(invoiceRows)
  return {
    completeUpTo,
    tenant: { id: tenant.id, name: tenant.name, plan: tenant.plan },
    subscription: subscription ? { id: subscription.id, status: subscription.status, planId: subscription.planId, currency: subscription.currency } : null,
    cycle: { start, end, days, elapsedDays },
    previousCycle,
    days: usage,
    limits: limit ? { agentUsageLimit: limit.agentUsageLimit, storageLimitMb: limit.storageLimitMb } : null,
    daysOver: limit?.agentUsageLimit == null ? [] : daysOverAgentLimit(usage, limit.agentUsageLimit),
    invoice,
    projectedTotal: invoice ? projectToCycleEnd(invoiceRows!, days, elapsedDays) : null,
    previousInvoice: toInvoice(previousRows)
  }
}

/** Days whose agent calls (every currency of the day together: a quantity, not money) passed the daily allowance. */
export function daysOverAgentLimit(days: UsageDay[], allowance: number): string[] {
  const calls = new Map<string, number>()
  for (const d of days) if (d.usageType === 'ai_calls') calls.set(d.date, (calls.get(d.date) ?? 0) + d.quantity)
  return [...calls].filter(([, q]) => q > allowance).map(([date]) => date).sort()
}

/** Plan fee plus the metered lines at this cycle's daily rate so far, over the whole cycle (rounded down to a millionth). */
export function projectToCycleEnd(rows: InvoiceRow[], days: number, elapsedDays: number): string {
  const fee = rows.filter((r) => r.line === 'plan_fee').reduce((sum, r) => sum + toMicros(r.amount), 0n)
  const metered = rows.filter((r) => r.line === 'metered').reduce((sum, r) => sum + toMicros(r.amount), 0n)
  return fromMicros(fee + (metered * BigInt(days)) / BigInt(elapsedDays))
}

export async function tenantDays(store: UsageStore, input: TenantDaysQuery) {
  const tenant = requireTenant(await store.tenants(), input.tenantId)
  const [completeUpTo, days] = await Promise.all([store.completeUpTo(), store.tenantDays(tenant.id, input.period)])
  return { completeUpTo, days }
}

const median = (sorted: number[]) => {
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Robust score of `value` against the trailing window: distance from its median in units of
 * 1.4826 × MAD (the standard deviation for normal data, unmoved by the outliers it looks for).
 * A MAD under one unit counts as one, so a flat history does not make every change infinite.
 */
export function robustScore(value: number, window: number[]): { median: number; score: number } {
  const sorted = [...window].sort((a, b) => a - b)
  const m = median(sorted)
  const mad = median(sorted.map((v) => Math.abs(v - m)).sort((a, b) => a - b))
  return { median: m, score: (value - m) / Math.max(1.4826 * mad, 1) }
}

/** Days scored need this many active days in their trailing window (a tenant's first days are not anomalies). */
const MIN_ACTIVE_DAYS = 7

export async function anomalies(store: UsageStore, input: AnomaliesQuery, now = Date.now()): Promise<Omit<Anomalies, 'source' | 'syncedAt'>> {
  const yesterday = addDays(utcToday(now), -1)
  const [completeUpTo, tenants, series, lastDay, limits] = await Promise.all([
    store.completeUpTo(),
    store.tenants(),
    store.dailyQuantities({ from: addDays(input.period.from, -ANOMALY_WINDOW_DAYS), to: input.period.to }),
    store.dailyQuantities({ from: yesterday, to: yesterday }),
    store.limits()
  ])
  const names = namesOf(tenants)
  const byKey = new Map<string, Map<string, number>>()
  for (const d of series) {
    const key = `${d.tenantId}|${d.usageType}`
    if (!byKey.has(key)) byKey.set(key, new Map())
    byKey.get(key)!.set(d.date, d.quantity)
  }
  const found: Anomaly[] = []
  for (const [key, days] of byKey) {
    const [tenantId, usageType] = key.split('|') as [string, Anomaly['usageType']]
    for (const [date, quantity] of days) {
      if (date < input.period.from) continue
      // The days of the window the tenant used this type: a small tenant's idle days are not its normal level.
      const window = Array.from({ length: ANOMALY_WINDOW_DAYS }, (_, i) => days.get(addDays(date, -ANOMALY_WINDOW_DAYS + i)) ?? 0).filter((v) => v > 0)
      if (window.length < MIN_ACTIVE_DAYS) continue
      const { median: m, score } = robustScore(quantity, window)
      if (Math.abs(score) >= ANOMALY_THRESHOLD) {
        found.push({ tenantId, name: names.get(tenantId)?.name ?? tenantId, usageType, date, quantity, median: m, score: Math.round(score * 100) / 100 })
      }
    }
  }
  found.sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || (a.date < b.date ? -1 : 1) || (a.tenantId < b.tenantId ? -1 : 1))
  return { completeUpTo, anomalies: found, overLimit: overLimitNow(lastDay, limits, names, yesterday) }
}

/**
 * Tenants over a limit on the last complete UTC day (the directory's day): agent calls against the
 * daily allowance, and the day's average storage snapshot against the storage limit.
 */
function overLimitNow(
  lastDay: Awaited<ReturnType<UsageStore['dailyQuantities']>>,
  limits: Awaited<ReturnType<UsageStore['limits']>>,
  names: Map<string, TenantInfo>,
  day: string
): OverLimit[] {
  const limitOf = new Map(limits.map((l) => [l.tenantId, l]))
  const result: OverLimit[] = []
  for (const d of lastDay) {
    const limit = limitOf.get(d.tenantId)
    if (!limit) continue
    const name = names.get(d.tenantId)?.name ?? d.tenantId
    if (d.usageType === 'ai_calls' && limit.agentUsageLimit !== null && d.quantity > limit.agentUsageLimit) {
      result.push({ tenantId: d.tenantId, name, limit: 'agentUsageLimit', used: d.quantity, allowed: limit.agentUsageLimit, date: day })
    }
    const storage = d.records > 0 ? Math.floor(d.quantity / d.records) : 0
    if (d.usageType === 'storage' && limit.storageLimitMb !== null && storage > limit.storageLimitMb) {
      result.push({ tenantId: d.tenantId, name, limit: 'storageLimitMb', used: storage, allowed: limit.storageLimitMb, date: day })
    }
  }
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.limit < b.limit ? -1 : 1))
}

export async function reconciliation(store: UsageStore, input: ReconciliationQuery): Promise<Omit<Reconciliation, 'source' | 'syncedAt'>> {
  await requireCurrency(store, input.currency)
  const [completeUpTo, tenants, rows, pendingChanges, unbilled] = await Promise.all([
    store.completeUpTo(),
    store.tenants(),
    store.reconciliation(input.period, input.currency),
    store.pendingChanges(),
    store.unbilled(input.period)
  ])
  const names = namesOf(tenants)
  const name = (id: string) => names.get(id)?.name ?? id
  return {
    completeUpTo,
    pendingChanges,
    rows: rows.map((r) => ({
      ...r,
      name: name(r.tenantId),
      quantityDifference: r.rollupQuantity - r.rawQuantity,
      amountDifference: fromMicros(toMicros(r.rollupAmount) - toMicros(r.rawAmount))
    })),
    unbilled: unbilled.filter((u) => input.currency === null || u.currency === input.currency).map((u) => ({ ...u, name: name(u.tenantId) }))
  }
}
