import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDecimals, toMicros, fromMicros } from '../../src/shared/decimal'
import type { Anomalies, Overview, Reconciliation, TenantUsage } from '../../src/shared/rpc/areas/usage'
import { addDays, addMonths, utcToday } from '../../src/main/domains/usage/compute'
import { makeOperator, makeTenants, withAdmin } from '../helpers/db'
import { startSyncedConsoles, type SyncedConsoles } from '../executions/fixture'

/**
 * Issue 10: the usage procedures as finance, online and from the offline cache (same figures),
 * with three currencies (no total mixes them), an invoice preview checked against SQL of our own
 * over the raw records and the price book, a planted anomaly, and bad input refused with typed
 * errors and nothing written.
 */

const today = utcToday()
const cycleStart = `${today.slice(0, 8)}01`
const plan = `usage_${randomBytes(3).toString('hex')}`
let euro: string
let mixed: string
let peso: string
let consoles: SyncedConsoles
const anomalyDay = addDays(today, -5)
const period = { from: addDays(today, -40), to: addDays(today, -1) }

async function priceEntry(admin: import('pg').ClientBase, currency: string, fee: string, prices: Record<string, string>) {
  const id = (await admin.query<{ id: string }>(`insert into price_book (plan_id, currency, amount) values ($1, $2, $3) returning id`, [plan, currency, fee])).rows[0]!.id
  for (const [type, price] of Object.entries(prices)) {
    await admin.query(`insert into price_book_unit_prices (price_book_id, currency, usage_type, unit_price) values ($1, $2, $3, $4)`, [id, currency, type, price])
  }
  return id
}

beforeAll(async () => {
  ;[euro, mixed, peso] = (await makeTenants(3, 'usage')).map((t) => t.id) as [string, string, string]
  await withAdmin(async (admin) => {
    await admin.query(`update tenants set plan_type = $2 where id = any ($1::uuid[])`, [[euro, mixed, peso], plan])
    const entries = {
      [euro]: await priceEntry(admin, 'EUR', '49.99', { executions: '0.002', ai_calls: '0.0138', storage: '0.000092' }),
      [mixed]: await priceEntry(admin, 'USD', '19', { executions: '0.01', ai_calls: '0.013' }),
      [peso]: await priceEntry(admin, 'MXN', '900', { storage: '0.5' })
    }
    const subscriptions: Record<string, string> = {}
    for (const [tenant, entry] of Object.entries(entries)) {
      subscriptions[tenant] = (
        await admin.query<{ id: string }>(
          `insert into subscriptions (tenant_id, stripe_customer_id, plan_id, status, current_period_start, current_period_end, price_book_id, created_at)
           values ($1, 'cus_usage', $2, 'active', $3::date, $4::date, $5, $6::date) returning id`,
          [tenant, plan, cycleStart, addMonths(cycleStart, 1), entry, addDays(today, -400)]
        )
      ).rows[0]!.id
    }
    await admin.query(`insert into tenant_limits (tenant_id, agent_usage_limit) values ($1, 1000), ($2, 10)`, [euro, mixed])
    // 60 days of steady usage; one day of the euro tenant ~50 times its usual agent calls.
    for (let i = 1; i <= 60; i++) {
      const day = addDays(today, -i)
      const at = `${day}T10:00:00Z`
      const calls = day === anomalyDay ? 5000 : 100 + (i % 5) * 3
      await admin.query(
        `insert into usage_records (tenant_id, subscription_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at) values
           ($1, $2, 'ai_calls', $7, 0.0138, 'EUR', $8, $8, $8), ($1, $2, 'executions', 20, 0.002, 'EUR', $8, $8, $8),
           ($3, $4, 'ai_calls', 50, 0.013, 'USD', $8, $8, $8), ($3, $4, 'executions', 10, 1, 'EUR', $8, $8, $8),
           ($5, $6, 'storage', 300, 0.5, 'MXN', $8, $8, $8)`,
        [euro, subscriptions[euro], mixed, subscriptions[mixed], peso, subscriptions[peso], calls, at]
      )
    }
    // A record no subscription covers.
    await admin.query(
      `insert into usage_records (tenant_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
       values ($1, 'executions', 3, 0.5, 'MXN', $2, $2, $2)`,
      [peso, `${addDays(today, -3)}T11:00:00Z`]
    )
    await admin.query('select app.fold_daily_usage()')
  })
  consoles = await startSyncedConsoles(await makeOperator(['finance']))
}, 300_000)

afterAll(() => consoles?.close())

const mine = () => [euro, mixed, peso]
/** What both sides must agree on: everything but where it came from and the fold time (other files fold too). */
function figures<T extends { source: string; syncedAt: string | null; completeUpTo: string | null }>(answer: T) {
  const { source: _s, syncedAt: _t, completeUpTo, ...rest } = answer
  expect(completeUpTo).not.toBeNull()
  return rest
}

describe('usage online and offline', () => {
  it('answers the overview from the cache with the server figures, for every bucket and filter', async () => {
    for (const bucket of ['day', 'week', 'month'] as const) {
      for (const filter of [{}, { usageType: 'ai_calls' }, { currency: 'EUR' }, { search: 'usage-' + euro.slice(0, 8) }]) {
        const input = { period, bucket, plan, ...filter }
        const server = await consoles.online.ok<Overview>('usage.overview', { ...input, source: 'server' })
        const cache = await consoles.offline.ok<Overview>('usage.overview', input)
        expect(server.source).toBe('server')
        expect(cache.source).toBe('cache')
        expect(cache.syncedAt).not.toBeNull()
        expect(server.totals.length).toBeGreaterThan(0)
        expect(figures(cache)).toEqual(figures(server))
      }
    }
  })

  it('never adds two currencies into one total, and each total is what SQL over the raw records says', async () => {
    const o = await consoles.online.ok<Overview>('usage.overview', { period, plan, source: 'server' })
    const keys = o.totals.map((t) => `${t.usageType}|${t.currency}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(o.currencies).toEqual(['EUR', 'MXN', 'USD'])
    const raw = await withAdmin((admin) =>
      admin.query<{ usage_type: string; currency: string; q: string; a: string }>(
        `select usage_type, currency::text, sum(quantity)::text as q, sum(quantity * unit_price)::text as a from usage_records
          where tenant_id = any ($1::uuid[]) and recorded_at >= $2::date and recorded_at < $3::date + 1 group by 1, 2 order by 1, 2`,
        [mine(), period.from, period.to]
      )
    )
    expect(o.totals.map((t) => [t.usageType, t.currency, t.quantity, t.amount])).toEqual(
      raw.rows.map((r) => [r.usage_type, r.currency, Number(r.q), fromMicros(toMicros(r.a))])
    )
    // Top tenants: one list per currency; shares of a currency add up to (at most) 100%.
    for (const currency of o.currencies) {
      const shares = o.topTenants.filter((t) => t.currency === currency).map((t) => t.shareBp ?? 0)
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000)
      expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThan(9_990)
    }
    expect(o.topTenants.filter((t) => t.tenantId === mixed).map((t) => t.currency)).toEqual(['EUR', 'USD'])
  })

  it("previews the invoice of a tenant's billing cycle as SQL over the raw records and the price book computes it, online and offline", async () => {
    const server = await consoles.online.ok<TenantUsage>('usage.tenant', { tenantId: euro, cyclesBack: 1, source: 'server' })
    const cache = await consoles.offline.ok<TenantUsage>('usage.tenant', { tenantId: euro, cyclesBack: 1 })
    expect(figures(cache)).toEqual(figures(server))
    expect(server.cycle).toMatchObject({ start: addMonths(cycleStart, -1), end: cycleStart })
    const expected = await withAdmin(async (admin) => {
      const { rows } = await admin.query<{ total: string }>(
        `select (p.amount + coalesce((select sum(u.quantity * up.unit_price) from usage_records u
                   join price_book_unit_prices up on up.price_book_id = p.id and up.usage_type = u.usage_type
                  where u.tenant_id = s.tenant_id and u.recorded_at >= $2::date and u.recorded_at < $3::date), 0))::text as total
           from subscriptions s join price_book p on p.id = s.price_book_id where s.tenant_id = $1`,
        [euro, server.cycle.start, server.cycle.end]
      )
      return rows[0]!.total
    })
    expect(server.invoice!.currency).toBe('EUR')
    expect(toMicros(server.invoice!.total)).toBe(toMicros(expected))
    expect(addDecimals(...server.invoice!.lines.map((l) => l.amount))).toBe(server.invoice!.total)
    // The anomaly day went over the 1000 calls allowance.
    if (anomalyDay >= server.cycle.start && anomalyDay < server.cycle.end) expect(server.daysOver).toContain(anomalyDay)
    const current = await consoles.online.ok<TenantUsage>('usage.tenant', { tenantId: euro, source: 'server' })
    expect(current.cycle.start).toBe(cycleStart)
    expect(current.previousInvoice).toEqual(server.invoice)
    expect(figures(await consoles.offline.ok<TenantUsage>('usage.tenant', { tenantId: euro }))).toEqual(figures(current))
  })

  it('finds the planted anomaly and the tenant over its limit, the same offline', async () => {
    const input = { period: { from: addDays(today, -20), to: addDays(today, -1) } }
    const server = await consoles.online.ok<Anomalies>('usage.anomalies', { ...input, source: 'server' })
    const cache = await consoles.offline.ok<Anomalies>('usage.anomalies', input)
    const ours = (a: Anomalies) => ({ anomalies: a.anomalies.filter((x) => mine().includes(x.tenantId)), overLimit: a.overLimit.filter((x) => mine().includes(x.tenantId)) })
    expect(ours(cache)).toEqual(ours(server))
    expect(ours(server).anomalies).toEqual([expect.objectContaining({ tenantId: euro, usageType: 'ai_calls', date: anomalyDay, quantity: 5000 })])
    expect(ours(server).overLimit).toEqual([expect.objectContaining({ tenantId: mixed, limit: 'agentUsageLimit', used: 50, allowed: 10 })])
  })

  it('reconciles the rollup with the raw records to zero and lists the record no subscription covers', async () => {
    const input = { period: { from: addDays(today, -30), to: today } }
    const server = await consoles.online.ok<Reconciliation>('usage.reconciliation', { ...input, source: 'server' })
    const cache = await consoles.offline.ok<Reconciliation>('usage.reconciliation', input)
    const ours = (r: Reconciliation) => ({ rows: r.rows.filter((x) => mine().includes(x.tenantId)), unbilled: r.unbilled.filter((x) => mine().includes(x.tenantId)) })
    expect(ours(cache)).toEqual(ours(server))
    expect(ours(server).rows.length).toBe(6)
    for (const row of ours(server).rows) expect([row.quantityDifference, row.amountDifference]).toEqual([0, '0'])
    expect(ours(server).unbilled).toEqual([expect.objectContaining({ tenantId: peso, problem: 'no_subscription', currency: 'MXN', quantity: 3 })])
  })
})

describe('bad input', () => {
  const counts = () =>
    withAdmin(async (admin) => {
      const { rows } = await admin.query(
        `select (select count(*) from usage_records where tenant_id = any ($1::uuid[])) as records,
                (select count(*) from audit_logs where tenant_id = any ($1::uuid[])) as audit,
                (select count(*) from usage_rollup_deltas where tenant_id = any ($1::uuid[])) as deltas`,
        [mine()]
      )
      return rows[0]
    })

  it('refuses reversed and over-long periods, unknown tenants and currencies with typed errors, online and offline, and writes nothing', async () => {
    const before = await counts()
    const cases: [string, unknown, string][] = [
      ['usage.overview', { period: { from: '2026-05-02', to: '2026-05-01' } }, 'BAD_INPUT'],
      ['usage.overview', { period: { from: '2020-01-01', to: '2023-01-02' } }, 'BAD_INPUT'],
      ['usage.overview', { period: { from: '2026-02-30', to: '2026-03-01' } }, 'BAD_INPUT'],
      ['usage.overview', { period, currency: 'eur' }, 'BAD_INPUT'],
      ['usage.overview', { period, currency: 'XYZ' }, 'INVALID'],
      ['usage.reconciliation', { period, currency: 'XYZ' }, 'INVALID'],
      ['usage.anomalies', { period: { from: '2026-05-02', to: '2026-05-01' } }, 'BAD_INPUT'],
      ['usage.tenant', { tenantId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
      ['usage.tenant', { tenantId: 'not-a-uuid' }, 'BAD_INPUT']
    ]
    for (const side of [consoles.online, consoles.offline]) {
      for (const [name, input, code] of cases) {
        const result = await side.call(name, input)
        expect(result, `${name} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code } })
      }
    }
    // Exactly three years is allowed.
    await consoles.online.ok('usage.overview', { period: { from: '2020-01-01', to: '2023-01-01' }, plan })
    expect(await counts()).toEqual(before)
  })

  it('refuses reconciliation to support, in the console and in the database', async () => {
    const support = await makeOperator(['support'], [euro])
    const { startScreensConsole, operatorUrl } = await import('../executions/fixture')
    const console = await startScreensConsole(operatorUrl(support))
    try {
      expect(await console.call('usage.reconciliation', { period })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      // Support sees its own tenant's usage only.
      const own = await console.ok<Overview>('usage.overview', { period, plan, source: 'server' })
      expect(new Set(own.topTenants.map((t) => t.tenantId))).toEqual(new Set([euro]))
    } finally {
      await console.close()
    }
    await expect(support.withClient((c) => c.query(`select * from app.usage_reconciliation(current_date - 1, current_date)`))).rejects.toMatchObject({ code: '42501' })
  })
})
