import type { PoolClient } from 'pg'
import { canonicalDecimal } from '../../../shared/decimal'
import type { Period, TrendBucket, UsageType } from '../../../shared/rpc/areas/usage'
import type { Database } from '../../db/types'
import type { DailyQuantity, DayRow, InvoiceRow, LimitRow, ReconRow, RollupFilter, SubscriptionInfo, TenantInfo, UsageStore } from './store'

/**
 * The usage screens from PostgreSQL, as the operator's role. Every rollup read goes through
 * app.usage_rollup, which applies the usage rules (finance: the platform; support: its tenants);
 * the tables behind it have no operator grant.
 */

/** Counts arrive as text (bigint sums); they stay far below 2^53. */
const num = (value: string): number => Number(value)
const ISO_MILLIS = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const DAY_TEXT = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`
const BUCKETS: Record<TrendBucket, string> = {
  day: 'd.usage_date',
  week: `date_trunc('week', d.usage_date)::date`,
  month: `date_trunc('month', d.usage_date)::date`
}

/** The rollup rows of a filter, as a FROM clause over $1..$5. */
const FILTERED = `app.usage_rollup($1::date, $2::date) d
  where ($3::uuid[] is null or d.tenant_id = any ($3::uuid[])) and ($4::text is null or d.usage_type = $4) and ($5::text is null or d.currency::text = $5)`
const filterValues = (f: RollupFilter) => [f.period.from, f.period.to, f.tenantIds, f.usageType, f.currency]
/** Per tenant, type and currency over the period, from its weeks and months (migration 026). */
const TENANT_TOTALS = 'app.usage_tenant_totals($1::date, $2::date, $3::uuid[], $4::text, $5::text) t'
/** Every readable tenant together, per day (the platform's kept days for finance and all-tenant admins). */
const ALL_DAYS = 'app.usage_days_all($1::date, $2::date, $3::text, $4::text) d'
const allDaysValues = (f: RollupFilter) => [f.period.from, f.period.to, f.usageType, f.currency]

export function serverStore(db: Database): UsageStore {
  const read = <R>(fn: (client: PoolClient) => Promise<R>) => db.withPlatform(fn)
  const rows = <R>(text: string, values: unknown[] = []) => read(async (client) => (await client.query<R & Record<string, unknown>>(text, values)).rows)

  return {
    async completeUpTo() {
      const found = await rows<{ at: string | null }>(`select ${ISO_MILLIS('f.complete_up_to')} as at from app.daily_usage_freshness() f`)
      return found[0]?.at ?? null
    },
    async currencies() {
      return (await rows<{ code: string }>('select code::text as code from public.currencies order by 1')).map((r) => r.code)
    },
    async tenants() {
      return rows<TenantInfo>('select t.id::text as id, t.slug::text as slug, t.name::text as name, t.plan_type::text as plan from public.tenants t order by t.id')
    },
    async totals(filter) {
      const found = await rows<{ usage_type: UsageType; currency: string; q: string; a: string }>(
        filter.tenantIds
          ? `select t.usage_type, t.currency::text as currency, sum(t.total_quantity)::text as q, sum(t.total_amount)::text as a from ${TENANT_TOTALS} group by 1, 2 order by 1, 2`
          : `select d.usage_type, d.currency::text as currency, sum(d.total_quantity)::text as q, sum(d.total_amount)::text as a from ${ALL_DAYS} group by 1, 2 order by 1, 2`,
        filter.tenantIds ? filterValues(filter) : allDaysValues(filter)
      )
      return found.map((r) => ({ usageType: r.usage_type, currency: r.currency, quantity: num(r.q), amount: canonicalDecimal(r.a) }))
    },
    async trend(filter, bucket) {
      const found = await rows<{ bucket: string; usage_type: UsageType; q: string }>(
        `select ${DAY_TEXT(BUCKETS[bucket])} as bucket, d.usage_type::text as usage_type, sum(d.total_quantity)::text as q
           from ${filter.tenantIds ? FILTERED : ALL_DAYS} group by 1, 2 order by 1, 2`,
        filter.tenantIds ? filterValues(filter) : allDaysValues(filter)
      )
      return found.map((r) => ({ bucket: r.bucket, usageType: r.usage_type, quantity: num(r.q) }))
    },
    async perTenant(filter) {
      const found = await rows<{ tenant_id: string; currency: string; q: string; a: string }>(
        `select t.tenant_id::text as tenant_id, t.currency::text as currency, sum(t.total_quantity)::text as q, sum(t.total_amount)::text as a
           from ${TENANT_TOTALS} group by 1, 2 order by 1, 2`,
        filterValues(filter)
      )
      return found.map((r) => ({ tenantId: r.tenant_id, currency: r.currency, quantity: num(r.q), amount: canonicalDecimal(r.a) }))
    },
    async dailyQuantities(period) {
      const found = await rows<{ tenant_id: string; usage_type: UsageType; day: string; q: string; n: string }>(
        `select d.tenant_id::text as tenant_id, d.usage_type::text as usage_type, ${DAY_TEXT('d.usage_date')} as day,
                sum(d.total_quantity)::text as q, sum(d.record_count)::text as n
           from app.usage_rollup($1::date, $2::date) d group by 1, 2, 3 order by 1, 2, 3`,
        [period.from, period.to]
      )
      return found.map((r): DailyQuantity => ({ tenantId: r.tenant_id, usageType: r.usage_type, date: r.day, quantity: num(r.q), records: num(r.n) }))
    },
    async tenantDays(tenantId, period) {
      const found = await db.withTenant(tenantId, async (client) =>
        (
          await client.query<{ day: string; usage_type: UsageType; currency: string; q: string; a: string }>(
            `select ${DAY_TEXT('d.usage_date')} as day, d.usage_type::text as usage_type, d.currency::text as currency,
                    d.total_quantity::text as q, d.total_amount::text as a
               from app.usage_rollup($1::date, $2::date) d where d.tenant_id = $3 order by 1, 2, 3`,
            [period.from, period.to, tenantId]
          )
        ).rows
      )
      return found.map((r): DayRow => ({ date: r.day, usageType: r.usage_type, currency: r.currency, quantity: num(r.q), amount: canonicalDecimal(r.a) }))
    },
    async subscription(tenantId) {
      const found = await rows<{ id: string; status: string; plan_id: string; currency: string; period_start: string | null; period_end: string | null }>(
        // The same choice as app.invoice_preview: the newest priced subscription.
        `select s.id::text as id, s.status::text as status, s.plan_id::text as plan_id, p.currency::text as currency,
                ${DAY_TEXT("(s.current_period_start at time zone 'UTC')::date")} as period_start, ${DAY_TEXT("(s.current_period_end at time zone 'UTC')::date")} as period_end
           from public.subscriptions s join public.price_book p on p.id = s.price_book_id
          where s.tenant_id = $1
          order by s.current_period_start desc nulls last, s.created_at desc limit 1`,
        [tenantId]
      )
      const r = found[0]
      return r ? ({ id: r.id, status: r.status, planId: r.plan_id, currency: r.currency, periodStart: r.period_start, periodEnd: r.period_end } satisfies SubscriptionInfo) : null
    },
    async invoice(tenantId, start, end) {
      try {
        const found = await rows<{ line: 'plan_fee' | 'metered'; usage_type: UsageType | null; currency: string; quantity: string; unit_price: string; amount: string }>(
          'select line, usage_type, currency::text as currency, quantity::text as quantity, unit_price::text as unit_price, amount::text as amount from app.invoice_preview($1, $2::date, $3::date)',
          [tenantId, start, end]
        )
        return found.map(
          (r): InvoiceRow => ({
            line: r.line,
            usageType: r.usage_type,
            currency: r.currency,
            quantity: canonicalDecimal(r.quantity),
            unitPrice: canonicalDecimal(r.unit_price),
            amount: canonicalDecimal(r.amount)
          })
        )
      } catch (error) {
        // No priced subscription covers the cycle: no invoice to preview, which the screen says.
        if ((error as { code?: string }).code === 'P0002') return null
        throw error
      }
    },
    async limits() {
      const found = await rows<{ tenant_id: string; agent_usage_limit: number | null; storage_limit_mb: number | null }>(
        'select l.tenant_id::text as tenant_id, l.agent_usage_limit, l.storage_limit_mb from app.usage_limits() l'
      )
      return found.map((r): LimitRow => ({ tenantId: r.tenant_id, agentUsageLimit: r.agent_usage_limit, storageLimitMb: r.storage_limit_mb }))
    },
    async reconciliation(period: Period, currency: string | null) {
      const found = await rows<{ tenant_id: string; usage_type: UsageType; currency: string; rq: string; wq: string; ra: string; wa: string }>(
        `select r.tenant_id::text as tenant_id, r.usage_type as usage_type, r.currency::text as currency,
                sum(r.rollup_quantity)::text as rq, sum(r.raw_quantity)::text as wq, sum(r.rollup_amount)::text as ra, sum(r.raw_amount)::text as wa
           from app.usage_reconciliation($1::date, $2::date, $3) r group by 1, 2, 3 order by 1, 2, 3`,
        [period.from, period.to, currency]
      )
      return found.map(
        (r): ReconRow => ({
          tenantId: r.tenant_id,
          usageType: r.usage_type,
          currency: r.currency,
          rollupQuantity: num(r.rq),
          rawQuantity: num(r.wq),
          rollupAmount: canonicalDecimal(r.ra),
          rawAmount: canonicalDecimal(r.wa)
        })
      )
    },
    async pendingChanges() {
      const found = await rows<{ n: string }>('select pending_changes::text as n from app.daily_usage_freshness()')
      return found[0] ? num(found[0].n) : null
    },
    async unbilled(period) {
      const found = await rows<{ id: string; tenant_id: string; usage_type: UsageType; currency: string; quantity: number; at: string; problem: 'no_subscription' | 'outside_subscription' }>(
        `select u.id::text as id, u.tenant_id::text as tenant_id, u.usage_type, u.currency::text as currency, u.quantity, ${ISO_MILLIS('u.recorded_at')} as at, u.problem
           from app.unbilled_usage($1::date, $2::date) u order by u.recorded_at, u.id`,
        [period.from, period.to]
      )
      return found.map((r) => ({ id: r.id, tenantId: r.tenant_id, usageType: r.usage_type, currency: r.currency, quantity: r.quantity, recordedAt: r.at, problem: r.problem }))
    }
  }
}
