import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type pg from 'pg'
import { makeOperator, makeTenants, withAdmin, type TestOperator } from '../helpers/db'
import { DIRECTORY_SORTS } from '../../src/shared/rpc/areas/tenants'

// Migration 027: app.tenant_directory_page reads one page in an index's order and
// app.tenant_directory_count counts up to a cap. Both must give exactly what the full query over
// app.tenant_directory gave (the reference below is that query as the console ran it before 027):
// the same rows with the same fields, in the same order, for every sort key and direction, for a
// support operator (assigned tenants plus a break-glass grant) and an all-tenants admin, with and
// without search and filters, on every page.

/** The pre-027 order: the sort key, nulls last, then lower(name), id. */
const REFERENCE_ORDER: Record<string, string> = {
  name: 'lower(d.name)',
  status: 'd.status',
  plan: 'd.plan_type',
  verifiedDomains: 'd.verified_domains',
  usage: 'd.agent_usage::numeric / nullif(d.agent_usage_limit, 0)',
  credentialsExpiring: 'd.credentials_expiring',
  createdAt: 'd.created_at'
}

const COLUMNS = `d.id, d.slug, d.name, d.contact_email, d.website_url, d.business_industry, d.plan_type, d.status, d.status_changed_at, d.created_at,
  d.domains, d.domain_count, d.verified_domains, d.agent_usage, d.agent_usage_limit, d.credentials_expiring, d.next_credential_expiry`

interface Filter {
  search: string | null
  status: string | null
  plan: string | null
  industry: string | null
}

const FILTERS: Filter[] = [
  { search: null, status: null, plan: null, industry: null },
  { search: 'legal', status: null, plan: null, industry: null },
  // A domain fragment, and LIKE wildcards typed by the operator (matched literally).
  { search: '.example.org', status: null, plan: null, industry: null },
  { search: '50%_off', status: null, plan: null, industry: null },
  { search: '  ACME ', status: null, plan: null, industry: 'health' },
  { search: null, status: 'active', plan: 'starter', industry: null },
  { search: 'dpage', status: 'suspended', plan: null, industry: null }
]

async function reference(client: pg.Client, filter: Filter, sort: string, direction: 'asc' | 'desc') {
  const { rows } = await client.query(
    `select ${COLUMNS}, g.expires_at as break_glass_until
       from app.tenant_directory($1, $2, $3, $4) d
       left join (select v.tenant_id, v.expires_at from app.visible_tenants() v where v.access = 'break_glass') g on g.tenant_id = d.id
      order by ${REFERENCE_ORDER[sort]} ${direction} nulls last, lower(d.name), d.id`,
    [filter.search, filter.status, filter.plan, filter.industry]
  )
  return rows
}

/** A page's rows, and the count they carry (up to `cap`). */
async function pageWithCount(client: pg.Client, filter: Filter, sort: string, direction: 'asc' | 'desc', offset: number, limit: number, cap: number) {
  const { rows } = await client.query(`select ${COLUMNS}, d.break_glass_until, d.total, d.total_capped from app.tenant_directory_page($1, $2, $3, $4, $5, $6, $7, $8, $9) d`, [
    filter.search, filter.status, filter.plan, filter.industry, sort, direction === 'desc', offset, limit, cap
  ])
  const counts = new Set(rows.map((r) => JSON.stringify({ total: r.total, capped: r.total_capped })))
  expect(counts.size).toBeLessThanOrEqual(1)
  return { rows: rows.map(({ total: _total, total_capped: _capped, ...row }) => row), count: rows[0] ? { total: rows[0].total, capped: rows[0].total_capped } : null }
}

async function page(client: pg.Client, filter: Filter, sort: string, direction: 'asc' | 'desc', offset: number, limit: number) {
  return (await pageWithCount(client, filter, sort, direction, offset, limit, 1000)).rows
}

async function count(client: pg.Client, filter: Filter, cap: number) {
  const { rows } = await client.query('select total, capped from app.tenant_directory_count($1, $2, $3, $4, $5)', [
    filter.search, filter.status, filter.plan, filter.industry, cap
  ])
  return rows[0]
}

let support: TestOperator
let admin: TestOperator
let finance: TestOperator
let breakGlassTenant: string

beforeAll(async () => {
  const tenants = await makeTenants(36, 'dpage')
  const ids = tenants.map((t) => t.id)
  await withAdmin(async (db) => {
    // Names with case-insensitive ties (ordered by id then), a search term in some, wildcards in one.
    const names = ['Acme', 'ACME', 'acme', 'Legal Eagles', 'legal aid', 'Zeta', 'beta', 'Beta', '50%_off Store', '50 off store']
    for (const [i, id] of ids.entries()) {
      const suspended = i % 5 === 0
      await db.query(
        `update tenants set name = $2, contact_email = $3, business_industry = $4, plan_type = $5, status = $6, status_reason = $7,
                created_at = now() - make_interval(days => $8) where id = $1`,
        [id, `${names[i % names.length]}${i < names.length ? '' : ` ${i}`}`, i % 4 === 0 ? null : `ops${i}@LEGAL${i % 3}.example.com`,
          ['health', 'retail', null][i % 3], ['starter', 'professional', 'enterprise'][i % 3], suspended ? 'suspended' : 'active',
          suspended ? 'unpaid invoice' : null, i % 7]
      )
      for (let d = 0; d < i % 4; d++) {
        await db.query('insert into tenant_domains (tenant_id, domain, verified) values ($1, $2, $3)', [id, `d${d}-${id.slice(0, 8)}.example.${d ? 'org' : 'com'}`, d % 2 === 0])
      }
      // No limit, a limit of 0, or a limit; usage yesterday for some (ties in the ratio too).
      if (i % 6 !== 0) {
        await db.query('insert into tenant_limits (tenant_id, agent_usage_limit) values ($1, $2)', [id, i % 6 === 1 ? 0 : [1000, 500, 2000][i % 3]])
      }
      if (i % 3 !== 2) {
        await db.query(
          `insert into usage_records (tenant_id, usage_type, quantity, currency, period_start, period_end, recorded_at)
           select $1, 'ai_calls', $2, 'EUR', y, y + interval '1 hour', y
             from (select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '20 hours' as y) x`,
          [id, [100, 500, 1000, 2500][i % 4]]
        )
      }
      for (let c = 0; c < i % 3; c++) {
        await db.query(
          `insert into tenant_credentials (tenant_id, client_id, client_secret_encrypted, hmac_secret_encrypted, expires_at)
           values ($1, $2, 'enc:test', 'enc:test', now() + make_interval(days => $3))`,
          [id, `dpage-${id.slice(0, 8)}-${c}`, [-2, 5, 13, 30, 90][(i + c) % 5]]
        )
      }
    }
    await db.query('select app.fold_daily_usage()')
  })
  support = await makeOperator(['support'], ids.slice(0, 24), 'dpage_support')
  admin = await makeOperator(['admin'], [null], 'dpage_admin')
  finance = await makeOperator(['finance'], [null], 'dpage_finance')
  // Support also sees one more tenant through break-glass: its row carries the grant's end.
  breakGlassTenant = ids[30]!
  await withAdmin((db) =>
    db.query(`insert into break_glass_grants (operator, tenant_id, reason, expires_at) values ($1, $2, 'Ticket 4711: cannot log in', now() + interval '2 hours')`, [
      support.name, breakGlassTenant
    ])
  )
})

afterAll(async () => {
  await withAdmin((db) => db.query('delete from break_glass_grants where operator = $1', [support.name]))
})

describe('the directory page and count (migration 027)', () => {
  it('gives the full query\'s rows, order and total, page by page, for every sort, direction and filter', async () => {
    for (const operator of [support, admin]) {
      await operator.withClient(async (client) => {
        for (const filter of FILTERS) {
          for (const sort of DIRECTORY_SORTS) {
            for (const direction of ['asc', 'desc'] as const) {
              const label = `${operator === support ? 'support' : 'admin'} ${JSON.stringify(filter)} ${sort} ${direction}`
              // One snapshot for the reference and its pages: other test files add tenants to the
              // same database meanwhile, and the all-tenants admin sees them.
              await client.query('begin isolation level repeatable read')
              const all = await reference(client, filter, sort, direction)
              // Pages of 7 to the end and one past it, and one page of everything.
              for (let offset = 0; offset <= all.length; offset += 7) {
                expect(await page(client, filter, sort, direction, offset, 7), `${label} offset ${offset}`).toEqual(all.slice(offset, offset + 7))
              }
              expect(await page(client, filter, sort, direction, 0, all.length + 1), label).toEqual(all)
              expect(await count(client, filter, 1000), label).toEqual({ total: all.length, capped: false })
              if (all.length > 0) {
                expect(await count(client, filter, all.length - 1), label).toEqual({ total: all.length - 1, capped: true })
                expect(await count(client, filter, all.length), label).toEqual({ total: all.length, capped: false })
                // Under the cap the page reads all matches and sorts them; over it, the sort key's
                // index in order: both give the same rows and the count they carry.
                for (const cap of [all.length, Math.max(0, all.length - 4), 0]) {
                  for (const offset of [0, 5]) {
                    expect(await pageWithCount(client, filter, sort, direction, offset, 5, cap), `${label} cap ${cap} offset ${offset}`).toEqual({
                      rows: all.slice(offset, offset + 5),
                      count: all.length > offset ? { total: Math.min(all.length, cap), capped: all.length > cap } : null
                    })
                  }
                }
              }
              await client.query('commit')
            }
          }
        }
      })
    }
  })

  it('shows the support operator only its tenants, with the break-glass end on the granted one', async () => {
    await support.withClient(async (client) => {
      const rows = await page(client, FILTERS[0]!, 'name', 'asc', 0, 100)
      expect(rows).toHaveLength(25)
      expect(rows.filter((r) => r.break_glass_until !== null).map((r) => r.id)).toEqual([breakGlassTenant])
    })
  })

  it('sorts by yesterday\'s usage even when the kept ratios are of another day', async () => {
    // As if the day had passed without a write: ratios kept for an older day, and wrong.
    await withAdmin((db) => db.query(`update tenant_directory_summary set ratio_day = ratio_day - 3, usage_ratio = random() * 10 where tenant_id in (select id from tenants where slug like 'dpage-%')`))
    await admin.withClient(async (client) => {
      for (const direction of ['asc', 'desc'] as const) {
        const all = await reference(client, FILTERS[0]!, 'usage', direction)
        expect(await page(client, FILTERS[0]!, 'usage', direction, 0, all.length + 1)).toEqual(all)
      }
    })
    const stale = await withAdmin((db) => db.query(`select count(*)::int as n from tenant_directory_summary where ratio_day <> (now() at time zone 'UTC')::date - 1`))
    expect(stale.rows[0].n).toBe(0)
  })

  it('refuses other groups and bad arguments with typed errors', async () => {
    await finance.withClient(async (client) => {
      await expect(page(client, FILTERS[0]!, 'name', 'asc', 0, 10)).rejects.toMatchObject({ code: '42501' })
      await expect(count(client, FILTERS[0]!, 10)).rejects.toMatchObject({ code: '42501' })
    })
    await admin.withClient(async (client) => {
      await expect(page(client, FILTERS[0]!, 'name; drop table tenants', 'asc', 0, 10)).rejects.toMatchObject({ code: '22023' })
      await expect(page(client, FILTERS[0]!, 'name', 'asc', -1, 10)).rejects.toMatchObject({ code: '22023' })
      await expect(count(client, FILTERS[0]!, -1)).rejects.toMatchObject({ code: '22023' })
      await expect(pageWithCount(client, FILTERS[0]!, 'name', 'asc', 0, 10, -1)).rejects.toMatchObject({ code: '22023' })
    })
  })
})
