import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator, makeTenants, uniqueRoleName } from '../helpers/db'

/**
 * Issue 10, item 5: finance reads usage, rollups, subscriptions, the price book and tenant names
 * and plans, platform-wide, and nothing else. The database refuses the rest (42501), with or
 * without a tenant context.
 */

let admin: pg.Client
let finance: pg.Client
let tenant: string

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenants(1, 'finance'))[0]!.id
  const other = uniqueRoleName('fixture')
  await admin.query(`create role ${other} login`)
  await insertTenantRows(admin, tenant, other)
  const entry = await admin.query<{ id: string }>(`insert into price_book (plan_id, currency, amount) values ($1, 'MXN', 500) returning id`, [`finance_${tenant.slice(0, 8)}`])
  await admin.query(`insert into price_book_unit_prices (price_book_id, currency, usage_type, unit_price) values ($1, 'MXN', 'ai_calls', 0.25)`, [entry.rows[0]!.id])
  await admin.query(`insert into usage_records (tenant_id, usage_type, quantity, currency, period_start, period_end) values ($1, 'storage', 1, 'EUR', now(), now())`, [tenant])
  await admin.query('select app.fold_daily_usage()')
  finance = await (await makeOperator(['finance'])).client()
})

afterAll(async () => {
  await Promise.all([admin, finance].map((c) => c?.end()))
})

async function inContext<T>(context: string | null, fn: () => Promise<T>): Promise<T> {
  await finance.query('begin')
  try {
    if (context) await finance.query(`select set_config('app.current_tenant_id', $1, true)`, [context])
    return await fn()
  } finally {
    await finance.query('rollback')
  }
}

const READS = [
  'select tenant_id from usage_records',
  'select tenant_id from subscriptions',
  'select id, plan_id, currency, amount from price_book',
  'select price_book_id, usage_type, currency, unit_price from price_book_unit_prices',
  'select code from currencies',
  'select id, slug, name, plan_type, status from tenants',
  'select tenant_id from app.daily_usage(null, null)',
  'select complete_up_to from app.daily_usage_freshness()',
  `select tenant_id from app.usage_reconciliation(current_date - 30, current_date)`,
  `select tenant_id from app.unbilled_usage(current_date - 30, current_date)`
]

const REFUSED = [
  'select * from conversations',
  'select * from sessions',
  'select * from users',
  'select * from user_consent',
  'select id from tenant_credentials',
  'select * from tenant_domains',
  'select * from tenant_limits',
  'select * from events',
  'select * from template_purchases',
  'select * from tenant_analytics_daily',
  'select * from tenant_revenue_daily',
  'select * from audit_logs',
  'select * from executions',
  'select contact_email from tenants',
  'select settings from tenants',
  'select * from daily_usage_summary',
  'select * from usage_rollup_deltas',
  'select * from usage_fold_state',
  'select app.fold_daily_usage()',
  `select * from app.tenant_directory()`,
  `update usage_records set quantity = 0`,
  `insert into price_book_unit_prices (price_book_id, currency, usage_type, unit_price) select id, currency, 'storage', 1 from price_book limit 1`,
  `update subscriptions set status = 'canceled'`
]

describe('finance', () => {
  it.each(READS)('reads: %s', async (sql) => {
    for (const context of [null, tenant]) {
      const { rows } = await inContext(context, () => finance.query(sql))
      expect(rows.length, String(context)).toBeGreaterThan(0)
    }
  })

  it.each(REFUSED)('is refused: %s', async (sql) => {
    for (const context of [null, tenant]) {
      await expect(inContext(context, () => finance.query(sql)), String(context)).rejects.toMatchObject({ code: '42501' })
    }
  })
})
