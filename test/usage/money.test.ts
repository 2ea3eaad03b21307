import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeOperator, makeTenants } from '../helpers/db'

/**
 * Issue 10, item 2: amounts are decimal and always have their currency; totals are per
 * currency; the invoice preview and the reconciliation are computed from the rollup and the
 * price book; bad input gets a typed error (22023) and changes nothing.
 */

const MONEY_COLUMN = '(^|_)(amount|price|revenue|paid|fee|cost)$'
const DAY = '2026-04-10'

let admin: pg.Client
let finance: pg.Client
let financeName: string
let support: pg.Client
let euro: string
let mixed: string
let hidden: string
let entry: string

async function usage(tenant: string, type: string, quantity: number, price: string | null, currency: string, at: string, subscription: string | null = null) {
  await admin.query(
    `insert into usage_records (tenant_id, subscription_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7, $7)`,
    [tenant, subscription, type, quantity, price, currency, at]
  )
}

beforeAll(async () => {
  admin = await adminClient()
  ;[euro, mixed, hidden] = (await makeTenants(3, 'money')).map((t) => t.id) as [string, string, string]
  const plan = `money_${euro.slice(0, 8)}`
  entry = (await admin.query<{ id: string }>(`insert into price_book (plan_id, currency, amount) values ($1, 'EUR', 49.99) returning id`, [plan])).rows[0]!.id
  await admin.query(
    `insert into price_book_unit_prices (price_book_id, currency, usage_type, unit_price)
     values ($1, 'EUR', 'executions', 0.002), ($1, 'EUR', 'ai_calls', 0.0138), ($1, 'EUR', 'storage', 0.000092)`,
    [entry]
  )
  const subscription = (await admin.query<{ id: string }>(
    `insert into subscriptions (tenant_id, stripe_customer_id, plan_id, status, current_period_start, current_period_end, price_book_id, created_at)
     values ($1, 'cus_money', $2, 'active', '2026-04-01', '2026-05-01', $3, '2026-01-01') returning id`,
    [euro, plan, entry]
  )).rows[0]!.id
  // The currency comes from the subscription's price-book entry when the writer omits it.
  await admin.query(
    `insert into usage_records (tenant_id, subscription_id, usage_type, quantity, unit_price, period_start, period_end, recorded_at)
     values ($1, $2, 'ai_calls', 1000, 0.0138, '2026-04-03', '2026-04-03', '2026-04-03'),
            ($1, $2, 'ai_calls', 234, 0.0138, '2026-04-29T23:59:00Z', '2026-04-29T23:59:00Z', '2026-04-29T23:59:00Z'),
            ($1, $2, 'executions', 77, 0.002, '2026-04-15', '2026-04-15', '2026-04-15'),
            ($1, $2, 'ai_calls', 999, 0.0138, '2026-05-01', '2026-05-01', '2026-05-01')`,
    [euro, subscription]
  )
  // 10 EUR and 10 USD on the same tenant, type and day; and a record no subscription covers.
  await usage(mixed, 'executions', 10, '1', 'EUR', `${DAY}T08:00:00Z`)
  await usage(mixed, 'executions', 10, '1', 'USD', `${DAY}T09:00:00Z`)
  await usage(hidden, 'storage', 5, '0.5', 'MXN', `${DAY}T10:00:00Z`)
  await admin.query(
    `insert into events (tenant_id, event_type, event_data, occurred_at) values
       ($1, 'template_purchase', '{"amount": "10", "currency": "EUR"}', $2), ($1, 'template_purchase', '{"amount": "10", "currency": "USD"}', $2)`,
    [mixed, `${DAY}T12:00:00Z`]
  )
  await admin.query('select app.fold_daily_usage()')
  const financeOperator = await makeOperator(['finance'])
  financeName = financeOperator.name
  finance = await financeOperator.client()
  support = await (await makeOperator(['support'], [euro, mixed])).client()
})

afterAll(async () => {
  await Promise.all([admin, finance, support].map((c) => c?.end()))
})

describe('currencies', () => {
  it('keeps 10 EUR and 10 USD apart in the rollup, the reconciliation and the revenue view', async () => {
    const daily = await finance.query(
      `select currency, total_quantity::int, total_amount::text from app.daily_usage($1, $1) where tenant_id = $2 order by currency`,
      [DAY, mixed]
    )
    expect(daily.rows).toEqual([
      { currency: 'EUR', total_quantity: 10, total_amount: '10.000000' },
      { currency: 'USD', total_quantity: 10, total_amount: '10.000000' }
    ])
    const reconciled = await finance.query(
      `select currency, rollup_amount::text, raw_amount::text, amount_difference::text from app.usage_reconciliation($1, $1) where tenant_id = $2 order by currency`,
      [DAY, mixed]
    )
    expect(reconciled.rows).toEqual([
      { currency: 'EUR', rollup_amount: '10.000000', raw_amount: '10.000000', amount_difference: '0.000000' },
      { currency: 'USD', rollup_amount: '10.000000', raw_amount: '10.000000', amount_difference: '0.000000' }
    ])
    const revenue = await admin.query(`select currency, purchases::int, revenue::text from tenant_revenue_daily where tenant_id = $1 order by currency`, [mixed])
    expect(revenue.rows).toEqual([
      { currency: 'EUR', purchases: 1, revenue: '10' },
      { currency: 'USD', purchases: 1, revenue: '10' }
    ])
  })

  it('has no money column anywhere without a currency beside it, and none in floating point', async () => {
    const { rows } = await admin.query<{ relation: string; money: string; type: string; has_currency: boolean }>(
      `select c.relname as relation, a.attname as money, format_type(a.atttypid, a.atttypmod) as type,
              exists (select 1 from pg_attribute x where x.attrelid = c.oid and x.attname = 'currency' and not x.attisdropped) as has_currency
         from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
          and a.attname ~ $1`,
      [MONEY_COLUMN]
    )
    expect(rows.length).toBeGreaterThanOrEqual(8)
    expect(rows.filter((r) => !r.has_currency).map((r) => `${r.relation}.${r.money}`)).toEqual([])
    expect(rows.filter((r) => !r.type.startsWith('numeric')).map((r) => `${r.relation}.${r.money} ${r.type}`)).toEqual([])
  })

  it('returns a currency beside every amount from every usage function', async () => {
    const { rows } = await admin.query<{ fn: string; names: string[]; types: string[] }>(
      `select p.proname as fn, p.proargnames as names, array(select format_type(t, null) from unnest(p.proallargtypes) t) as types
         from pg_proc p
        where p.pronamespace = 'app'::regnamespace and 't' = any (p.proargmodes)
          and exists (select 1 from unnest(p.proargnames) n where n ~ $1)`,
      [MONEY_COLUMN]
    )
    expect(rows.map((r) => r.fn).sort()).toEqual(['invoice_preview', 'usage_days_all', 'usage_reconciliation', 'usage_rollup', 'usage_tenant_totals'])
    for (const r of rows) {
      expect(r.names, r.fn).toContain('currency')
      r.names.forEach((name, i) => {
        if (new RegExp(MONEY_COLUMN).test(name)) expect(r.types[i], `${r.fn}.${name}`).toBe('numeric')
      })
    }
  })

  it('refuses a usage record in an unknown currency, or with none to take, and writes nothing', async () => {
    const count = async () => (await admin.query(`select count(*)::int as n from usage_records where tenant_id = $1`, [hidden])).rows[0]!.n
    const before = await count()
    await expect(usage(hidden, 'storage', 1, null, 'XXX', `${DAY}T11:00:00Z`)).rejects.toMatchObject({ code: '23503' })
    await expect(usage(hidden, 'storage', 1, null, 'eur', `${DAY}T11:00:00Z`)).rejects.toMatchObject({ code: expect.stringMatching(/^23(503|514)$/) })
    await expect(
      admin.query(`insert into usage_records (tenant_id, usage_type, quantity, period_start, period_end) values ($1, 'storage', 1, now(), now())`, [hidden])
    ).rejects.toMatchObject({ code: '23502', message: expect.stringContaining('needs a currency') })
    expect(await count()).toBe(before)
  })
})

describe('invoice preview', () => {
  it('is the plan fee plus each usage type at its price-book price, in the entry currency, for [start, end)', async () => {
    const { rows } = await finance.query(
      `select line, usage_type, currency, quantity::text, unit_price::text, amount::text from app.invoice_preview($1, '2026-04-01', '2026-05-01')`,
      [euro]
    )
    // Computed here from the raw records and the price book, independently of the function.
    const expected = await admin.query(
      `select 'metered' as line, p.usage_type::text, p.currency::text, coalesce(sum(u.quantity), 0)::numeric::text as quantity, p.unit_price::text,
              (coalesce(sum(u.quantity), 0) * p.unit_price)::text as amount
         from price_book_unit_prices p
         left join usage_records u on u.usage_type = p.usage_type and u.tenant_id = $1
                                  and u.recorded_at >= '2026-04-01T00:00:00Z' and u.recorded_at < '2026-05-01T00:00:00Z'
        where p.price_book_id = $2
        group by p.usage_type, p.currency, p.unit_price order by 2`,
      [euro, entry]
    )
    expect(rows).toEqual([
      { line: 'plan_fee', usage_type: null, currency: 'EUR', quantity: '1', unit_price: '49.99', amount: '49.99' },
      ...expected.rows
    ])
    expect(rows.find((r) => r.usage_type === 'ai_calls')).toMatchObject({ quantity: '1234', unit_price: '0.013800', amount: '17.029200' })
  })

  it('is open to support for an assigned tenant', async () => {
    const { rows } = await support.query(`select count(*)::int as n from app.invoice_preview($1, '2026-04-01', '2026-05-01')`, [euro])
    expect(rows).toEqual([{ n: 4 }])
  })
})

describe('reconciliation', () => {
  it('lists usage records no subscription covers', async () => {
    const { rows } = await finance.query(`select tenant_id, problem from app.unbilled_usage($1, $1) where tenant_id = any($2) order by tenant_id`, [DAY, [mixed, hidden, euro]])
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.problem === 'no_subscription')).toBe(true)
  })

  it('finds a difference between rollup and records until the next fold', async () => {
    await usage(hidden, 'storage', 3, '0.5', 'MXN', `${DAY}T13:00:00Z`)
    const pending = await finance.query(`select quantity_difference::int, amount_difference::text from app.usage_reconciliation($1, $1, 'MXN') where tenant_id = $2`, [DAY, hidden])
    expect(pending.rows).toEqual([{ quantity_difference: -3, amount_difference: '-1.500000' }])
    await admin.query('select app.fold_daily_usage()')
    const folded = await finance.query(`select quantity_difference::int from app.usage_reconciliation($1, $1, 'MXN') where tenant_id = $2`, [DAY, hidden])
    expect(folded.rows).toEqual([{ quantity_difference: 0 }])
  })
})

describe('bad input: 22023 with a clear message, nothing written', () => {
  const cases: [string, (c: pg.Client) => Promise<unknown>, RegExp][] = [
    ['reversed invoice cycle', (c) => c.query(`select * from app.invoice_preview($1, '2026-05-01', '2026-04-01')`, [euro]), /starts .* after it ends/],
    ['empty invoice cycle', (c) => c.query(`select * from app.invoice_preview($1, '2026-05-01', '2026-05-01')`, [euro]), /at least one day/],
    ['invoice cycle over three years', (c) => c.query(`select * from app.invoice_preview($1, '2020-01-01', '2023-01-02')`, [euro]), /longer than three years/],
    ['unknown tenant', (c) => c.query(`select * from app.invoice_preview(gen_random_uuid(), '2026-04-01', '2026-05-01')`), /unknown tenant/],
    ['no tenant', (c) => c.query(`select * from app.invoice_preview(null, '2026-04-01', '2026-05-01')`), /unknown tenant/],
    ['missing period end', (c) => c.query(`select * from app.usage_reconciliation('2026-04-01', null)`), /needs a start and an end/],
    ['reversed reconciliation period', (c) => c.query(`select * from app.usage_reconciliation('2026-04-02', '2026-04-01')`), /after it ends/],
    ['reconciliation over three years', (c) => c.query(`select * from app.usage_reconciliation('2020-01-01', '2026-01-01')`), /longer than three years/],
    ['unknown currency', (c) => c.query(`select * from app.usage_reconciliation('2026-04-01', '2026-04-30', 'XXX')`), /unknown currency 'XXX'/],
    ['currency in lower case', (c) => c.query(`select * from app.usage_reconciliation('2026-04-01', '2026-04-30', 'eur')`), /unknown currency/],
    ['reversed unbilled period', (c) => c.query(`select * from app.unbilled_usage('2026-04-02', '2026-04-01')`), /after it ends/],
    ['reversed daily usage period', (c) => c.query(`select * from app.daily_usage('2026-04-02', '2026-04-01')`), /after it ends/]
  ]

  it.each(cases)('%s', async (_name, call, message) => {
    // Other files write usage in parallel: count what this file's tenants and operator own.
    const writes = async () =>
      (await admin.query(
        `select (select count(*) from audit_logs where actor = $1) + (select count(*) from usage_records where tenant_id = any($2))
              + (select count(*) from daily_usage_summary where tenant_id = any($2)) as n`,
        [financeName, [euro, mixed, hidden]]
      )).rows[0]!.n
    const before = await writes()
    await expect(call(finance)).rejects.toMatchObject({ code: '22023', message: expect.stringMatching(message) })
    expect(await writes()).toBe(before)
  })

  it('gives a tenant support may not see the same answer as one that does not exist', async () => {
    await expect(support.query(`select * from app.invoice_preview($1, '2026-04-01', '2026-05-01')`, [hidden])).rejects.toMatchObject({
      code: '22023',
      message: `unknown tenant ${hidden}`
    })
  })
})
