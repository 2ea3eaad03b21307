import { fromMicros, toMicros } from '../../../shared/decimal'
import { RpcError } from '../../../shared/rpc/errors'
import type { Period, TrendBucket, UsageType } from '../../../shared/rpc/areas/usage'
import type { CacheDb } from '../../cache/db'
import { coverPeriod } from './cover'
import type { DailyQuantity, DayRow, InvoiceRow, LimitRow, ReconRow, RollupFilter, SubscriptionInfo, TenantInfo, UnbilledRow, UsageStore } from './store'

/**
 * The usage screens from the offline cache: the same answers as server-store.ts, from what the
 * last sync copied (rollups per currency with exact integer millionths, billing data, records).
 * Sums run over integers with safeIntegers, so no amount passes through a float.
 */

const DAY_MS = 86_400_000
const BUCKETS: Record<TrendBucket, string> = {
  day: 'd.usage_date',
  week: `date(d.usage_date, 'weekday 0', '-6 days')`,
  month: `strftime('%Y-%m-01', d.usage_date)`
}
const dayOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10))
const isoOf = (ms: number) => new Date(ms).toISOString()

function rollupWhere(f: RollupFilter): { sql: string; params: unknown[] } {
  const clauses = ['d.usage_date BETWEEN ? AND ?']
  const params: unknown[] = [f.period.from, f.period.to]
  if (f.tenantIds) {
    clauses.push('d.tenant_id IN (SELECT value FROM json_each(?))')
    params.push(JSON.stringify(f.tenantIds))
  }
  if (f.usageType) {
    clauses.push('d.usage_type = ?')
    params.push(f.usageType)
  }
  if (f.currency) {
    clauses.push('d.currency = ?')
    params.push(f.currency)
  }
  return { sql: `FROM daily_usage_summary d WHERE ${clauses.join(' AND ')}`, params }
}

/** The type, currency and tenant filters of `f` over rows aliased `x` (the period is the caller's). */
function narrowing(f: RollupFilter): { sql: string; params: unknown[] } {
  const clauses = ['(? IS NULL OR x.usage_type = ?)', '(? IS NULL OR x.currency = ?)']
  const params: unknown[] = [f.usageType, f.usageType, f.currency, f.currency]
  if (f.tenantIds) {
    clauses.push('x.tenant_id IN (SELECT value FROM json_each(?))')
    params.push(JSON.stringify(f.tenantIds))
  }
  return { sql: clauses.join(' AND '), params }
}

/**
 * Per tenant, type and currency over the filter's period, from its whole months and weeks
 * (usage_blocks) and its days outside them (cover.ts): about 13 rows per key for 90 days, not 90.
 */
function tenantTotalsSql(f: RollupFilter): { sql: string; params: unknown[] } {
  const cover = coverPeriod(f.period)
  const n = narrowing(f)
  const blocks = (span: 'week' | 'month') =>
    `SELECT x.tenant_id, x.usage_type, x.currency, x.total_quantity, x.amount_micros FROM usage_blocks x
      WHERE x.span = '${span}' AND x.starts IN (SELECT value FROM json_each(?)) AND ${n.sql}`
  return {
    sql: `SELECT t.tenant_id, t.usage_type, t.currency, sum(t.total_quantity) AS q, sum(t.amount_micros) AS a FROM (
            ${blocks('month')} UNION ALL ${blocks('week')} UNION ALL
            SELECT x.tenant_id, x.usage_type, x.currency, x.total_quantity, x.amount_micros FROM daily_usage_summary x
             WHERE x.usage_date IN (SELECT value FROM json_each(?)) AND ${n.sql}
          ) t GROUP BY 1, 2, 3`,
    params: [JSON.stringify(cover.months), ...n.params, JSON.stringify(cover.weeks), ...n.params, JSON.stringify(cover.days), ...n.params]
  }
}

/** The platform's days of the filter's period (every cached tenant: the cache holds only what its operator may read). */
function platformDaysSql(f: RollupFilter): { sql: string; params: unknown[] } {
  return {
    sql: `FROM usage_platform_days d WHERE d.usage_date BETWEEN ? AND ? AND (? IS NULL OR d.usage_type = ?) AND (? IS NULL OR d.currency = ?)`,
    params: [f.period.from, f.period.to, f.usageType, f.usageType, f.currency, f.currency]
  }
}

export function cacheStore(db: CacheDb): UsageStore {
  /** Rows with every integer as a BigInt (amount sums can pass 2^53 millionths). */
  const all = <R>(sql: string, params: unknown[] = []) => db.prepare(sql).safeIntegers(true).all(...params) as R[]
  const meta = (key: string) => (db.prepare('SELECT value FROM sync_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null

  const store: UsageStore = {
    async completeUpTo() {
      return meta('usage_complete_up_to') || null
    },
    async currencies() {
      return db.prepare('SELECT code FROM usage_currencies ORDER BY 1').pluck().all() as string[]
    },
    async tenants() {
      return db.prepare('SELECT id, slug, name, plan FROM usage_tenants ORDER BY id').all() as TenantInfo[]
    },
    async totals(filter) {
      type Row = { usage_type: UsageType; currency: string; q: bigint; a: bigint }
      let rows: Row[]
      if (filter.tenantIds) {
        const t = tenantTotalsSql(filter)
        rows = all<Row>(`SELECT g.usage_type, g.currency, sum(g.q) AS q, sum(g.a) AS a FROM (${t.sql}) g GROUP BY 1, 2 ORDER BY 1, 2`, t.params)
      } else {
        const p = platformDaysSql(filter)
        rows = all<Row>(`SELECT d.usage_type, d.currency, sum(d.total_quantity) AS q, sum(d.amount_micros) AS a ${p.sql} GROUP BY 1, 2 ORDER BY 1, 2`, p.params)
      }
      return rows.map((r) => ({ usageType: r.usage_type, currency: r.currency, quantity: Number(r.q), amount: fromMicros(r.a) }))
    },
    async trend(filter, bucket) {
      const w = filter.tenantIds ? rollupWhere(filter) : platformDaysSql(filter)
      return all<{ bucket: string; usage_type: UsageType; q: bigint }>(
        `SELECT ${BUCKETS[bucket]} AS bucket, d.usage_type, sum(d.total_quantity) AS q ${w.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
        w.params
      ).map((r) => ({ bucket: r.bucket, usageType: r.usage_type, quantity: Number(r.q) }))
    },
    async perTenant(filter) {
      const t = tenantTotalsSql(filter)
      return all<{ tenant_id: string; currency: string; q: bigint; a: bigint }>(
        `SELECT g.tenant_id, g.currency, sum(g.q) AS q, sum(g.a) AS a FROM (${t.sql}) g GROUP BY 1, 2 ORDER BY 1, 2`,
        t.params
      ).map((r) => ({ tenantId: r.tenant_id, currency: r.currency, quantity: Number(r.q), amount: fromMicros(r.a) }))
    },
    async dailyQuantities(period) {
      return all<{ tenant_id: string; usage_type: UsageType; usage_date: string; q: bigint; n: bigint }>(
        `SELECT d.tenant_id, d.usage_type, d.usage_date, sum(d.total_quantity) AS q, sum(d.record_count) AS n
           FROM daily_usage_summary d WHERE d.usage_date BETWEEN ? AND ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [period.from, period.to]
      ).map((r): DailyQuantity => ({ tenantId: r.tenant_id, usageType: r.usage_type, date: r.usage_date, quantity: Number(r.q), records: Number(r.n) }))
    },
    async tenantDays(tenantId, period) {
      return all<{ usage_date: string; usage_type: UsageType; currency: string; q: bigint; a: bigint }>(
        `SELECT d.usage_date, d.usage_type, d.currency, d.total_quantity AS q, d.amount_micros AS a
           FROM daily_usage_summary d WHERE d.tenant_id = ? AND d.usage_date BETWEEN ? AND ? ORDER BY 1, 2, 3`,
        [tenantId, period.from, period.to]
      ).map((r): DayRow => ({ date: r.usage_date, usageType: r.usage_type, currency: r.currency, quantity: Number(r.q), amount: fromMicros(r.a) }))
    },
    async subscription(tenantId) {
      const r = pricedSubscriptions(db, tenantId)[0]
      return r
        ? ({ id: r.id, status: r.status, planId: r.plan_id, currency: r.currency, periodStart: dayOf(r.current_period_start), periodEnd: dayOf(r.current_period_end) } satisfies SubscriptionInfo)
        : null
    },
    async invoice(tenantId, start, end) {
      // app.invoice_preview's rules: the newest priced subscription still running at the cycle's start.
      const startMs = Date.parse(`${start}T00:00:00Z`)
      const entry = pricedSubscriptions(db, tenantId).find((s) => s.current_period_end === null || s.current_period_end > startMs)
      if (!entry) return null
      const fee: InvoiceRow = { line: 'plan_fee', usageType: null, currency: entry.currency, quantity: '1', unitPrice: fromMicros(toMicros(entry.amount)), amount: fromMicros(toMicros(entry.amount)) }
      const prices = db
        .prepare('SELECT usage_type, unit_price FROM usage_unit_prices WHERE price_book_id = ? ORDER BY usage_type')
        .all(entry.price_book_id) as { usage_type: UsageType; unit_price: string }[]
      const metered = prices.map((p): InvoiceRow => {
        const quantity = db
          .prepare('SELECT coalesce(sum(total_quantity), 0) FROM daily_usage_summary WHERE tenant_id = ? AND usage_type = ? AND usage_date >= ? AND usage_date < ?')
          .pluck()
          .safeIntegers(true)
          .get(tenantId, p.usage_type, start, end) as bigint
        const unit = toMicros(p.unit_price)
        return { line: 'metered', usageType: p.usage_type, currency: entry.currency, quantity: quantity.toString(), unitPrice: fromMicros(unit), amount: fromMicros(quantity * unit) }
      })
      return [fee, ...metered]
    },
    async limits() {
      return (db.prepare('SELECT tenant_id, agent_usage_limit, storage_limit_mb FROM usage_limits ORDER BY tenant_id').all() as { tenant_id: string; agent_usage_limit: number | null; storage_limit_mb: number | null }[]).map(
        (r): LimitRow => ({ tenantId: r.tenant_id, agentUsageLimit: r.agent_usage_limit, storageLimitMb: r.storage_limit_mb })
      )
    },
    async reconciliation(period, currency) {
      const range = rawRange(db, meta, period)
      const rolled = all<{ tenant_id: string; usage_type: UsageType; currency: string; q: bigint; a: bigint }>(
        `SELECT d.tenant_id, d.usage_type, d.currency, sum(d.total_quantity) AS q, sum(d.amount_micros) AS a
           FROM daily_usage_summary d WHERE d.usage_date BETWEEN ? AND ? AND (? IS NULL OR d.currency = ?) GROUP BY 1, 2, 3`,
        [period.from, period.to, currency, currency]
      )
      // Raw amounts are quantity × unit price per record, in exact millionths (SQLite cannot multiply decimals).
      const raw = new Map<string, { q: bigint; a: bigint }>()
      const records = db
        .prepare('SELECT tenant_id, usage_type, currency, quantity, unit_price FROM usage_records WHERE recorded_at >= ? AND recorded_at < ? AND (? IS NULL OR currency = ?)')
        .safeIntegers(true)
        .iterate(range.fromMs, range.toMs, currency, currency) as Iterable<{ tenant_id: string; usage_type: string; currency: string; quantity: bigint; unit_price: string | null }>
      for (const r of records) {
        const key = `${r.tenant_id}|${r.usage_type}|${r.currency}`
        const sum = raw.get(key) ?? { q: 0n, a: 0n }
        sum.q += r.quantity
        sum.a += r.quantity * (r.unit_price === null ? 0n : toMicros(r.unit_price))
        raw.set(key, sum)
      }
      const rows = new Map<string, ReconRow>()
      for (const r of rolled) {
        rows.set(`${r.tenant_id}|${r.usage_type}|${r.currency}`, { tenantId: r.tenant_id, usageType: r.usage_type, currency: r.currency, rollupQuantity: Number(r.q), rawQuantity: 0, rollupAmount: fromMicros(r.a), rawAmount: '0' })
      }
      for (const [key, sum] of raw) {
        const [tenantId, usageType, cur] = key.split('|') as [string, UsageType, string]
        const row = rows.get(key) ?? { tenantId, usageType, currency: cur, rollupQuantity: 0, rawQuantity: 0, rollupAmount: '0', rawAmount: '0' }
        rows.set(key, { ...row, rawQuantity: Number(sum.q), rawAmount: fromMicros(sum.a) })
      }
      return [...rows.values()].sort((a, b) => cmp(a.tenantId, b.tenantId) || cmp(a.usageType, b.usageType) || cmp(a.currency, b.currency))
    },
    async pendingChanges() {
      return null
    },
    async unbilled(period) {
      const range = rawRange(db, meta, period)
      const rows = db
        .prepare(
          `SELECT u.id, u.tenant_id, u.usage_type, u.currency, u.quantity, u.recorded_at,
                  CASE WHEN u.subscription_id IS NULL THEN 'no_subscription' ELSE 'outside_subscription' END AS problem
             FROM usage_records u LEFT JOIN usage_subscriptions s ON s.tenant_id = u.tenant_id AND s.id = u.subscription_id
            WHERE u.recorded_at >= ? AND u.recorded_at < ?
              AND (u.subscription_id IS NULL OR u.recorded_at < s.created_at OR (s.status = 'canceled' AND u.recorded_at >= s.current_period_end))
            ORDER BY u.recorded_at, u.id`
        )
        .all(range.fromMs, range.toMs) as { id: string; tenant_id: string; usage_type: UsageType; currency: string; quantity: number; recorded_at: number; problem: UnbilledRow['problem'] }[]
      return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, usageType: r.usage_type, currency: r.currency, quantity: r.quantity, recordedAt: isoOf(r.recorded_at), problem: r.problem }))
    }
  }
  return store
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

interface PricedSubscription {
  id: string
  status: string
  plan_id: string
  price_book_id: string
  currency: string
  amount: string
  current_period_start: number | null
  current_period_end: number | null
}

/** The tenant's subscriptions with a price-book entry, newest period first (the server's order). */
function pricedSubscriptions(db: CacheDb, tenantId: string): PricedSubscription[] {
  return db
    .prepare(
      `SELECT s.id, s.status, s.plan_id, s.price_book_id, p.currency, p.amount, s.current_period_start, s.current_period_end
         FROM usage_subscriptions s JOIN usage_price_book p ON p.id = s.price_book_id
        WHERE s.tenant_id = ?
        ORDER BY s.current_period_start IS NULL, s.current_period_start DESC, s.created_at DESC`
    )
    .all(tenantId) as PricedSubscription[]
}

/**
 * The raw records of a period, which the cache holds only for its records window: a period that
 * starts before it would show differences that are not there, so it is refused with the window.
 */
function rawRange(db: CacheDb, meta: (key: string) => string | null, period: Period): { fromMs: number; toMs: number } {
  const fromMs = Date.parse(`${period.from}T00:00:00Z`)
  const toMs = Date.parse(`${period.to}T00:00:00Z`) + DAY_MS
  const shape = meta('shape:usage_records')
  const windowDays = shape ? (JSON.parse(shape) as { windowDays: number | null }).windowDays : null
  const syncedAt = Number(meta('last_sync_at') ?? Date.now())
  if (windowDays !== null) {
    const heldFrom = new Date(Math.ceil((syncedAt - windowDays * DAY_MS) / DAY_MS) * DAY_MS).toISOString().slice(0, 10)
    if (period.from < heldFrom) {
      throw new RpcError('INVALID', `The offline cache holds usage records from ${heldFrom} only: choose a later start, or reconcile online.`, {
        issues: [{ path: 'period.from', message: `On or after ${heldFrom}` }]
      })
    }
  }
  return { fromMs, toMs }
}
