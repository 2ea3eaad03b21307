import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type pg from 'pg'
import { withAdmin } from '../helpers/db'
import { makeSupportTenants, operatorSession, type OperatorSession, type SupportTenant } from './harness'

// Migration 021: the directory's per-tenant figures come from tenant_directory_summary and
// tenant_directory_usage, kept by statement triggers on the source tables. After every kind of
// write (one row, many rows, a bulk load with triggers off, deletes) they equal the aggregate of
// the source tables, which is what the directory computed per query before.

let tenants: SupportTenant[]
let support: OperatorSession

beforeAll(async () => {
  tenants = await makeSupportTenants(3, 'summ')
  support = await operatorSession(['support'], tenants.map((t) => t.id))
})

afterAll(async () => {
  expect(support.internalErrors).toEqual([])
  await support.close()
})

/** The figures aggregated from the source tables, and as the summary keeps them. */
async function figures(admin: pg.Client, ids: string[]) {
  const aggregate = await admin.query(
    `select t.id,
            coalesce((select array_agg(d.domain::text order by d.domain::text) from tenant_domains d where d.tenant_id = t.id), '{}') as domains,
            (select count(*)::int from tenant_domains d where d.tenant_id = t.id and d.verified) as verified,
            (select l.agent_usage_limit from tenant_limits l where l.tenant_id = t.id and l.active) as usage_limit,
            coalesce((select array_agg(c.expires_at order by c.expires_at) from tenant_credentials c where c.tenant_id = t.id and c.active and c.expires_at is not null), '{}') as expiries,
            coalesce((select json_object_agg(x.usage_date, x.calls order by x.usage_date) from
              (select s.usage_date::text, sum(s.total_quantity)::bigint as calls from daily_usage_summary s
                where s.tenant_id = t.id and s.usage_type = 'ai_calls' group by s.usage_date) x)::jsonb, '{}') as usage
       from tenants t where t.id = any ($1) order by t.id`,
    [ids]
  )
  const kept = await admin.query(
    `select t.id, coalesce(s.domains, '{}') as domains, coalesce(s.verified_domains, 0) as verified, s.agent_usage_limit as usage_limit,
            coalesce(s.credential_expiries, '{}') as expiries,
            coalesce((select json_object_agg(u.usage_date::text, u.ai_calls order by u.usage_date) from tenant_directory_usage u where u.tenant_id = t.id)::jsonb, '{}') as usage
       from tenants t left join tenant_directory_summary s on s.tenant_id = t.id where t.id = any ($1) order by t.id`,
    [ids]
  )
  return { aggregate: aggregate.rows, kept: kept.rows }
}

async function expectKept(admin: pg.Client, step: string) {
  const { aggregate, kept } = await figures(admin, tenants.map((t) => t.id))
  expect(kept, step).toEqual(aggregate)
}

describe('the directory summary (migration 021)', () => {
  it('equals the aggregate of the source tables after inserts, updates and deletes', async () => {
    const [a, b, c] = tenants as [SupportTenant, SupportTenant, SupportTenant]
    await withAdmin(async (admin) => {
      await expectKept(admin, 'seeded')
      const before = await figures(admin, [a.id])
      expect(before.kept[0]).toMatchObject({ verified: 1, usage_limit: 1000 })
      expect(before.kept[0].expiries).toHaveLength(2)

      // Domains: one row, then several tenants in one statement, then a verification and a delete.
      await admin.query(`insert into tenant_domains (tenant_id, domain) values ($1, $2)`, [a.id, `extra.${a.domain}`])
      await expectKept(admin, 'domain inserted')
      await admin.query(`insert into tenant_domains (tenant_id, domain, verified) select id, 'bulk-' || left(id::text, 8) || '.example.org', true from tenants where id = any ($1)`, [[b.id, c.id]])
      await expectKept(admin, 'domains inserted for two tenants in one statement')
      await admin.query(`update tenant_domains set verified = true, verified_at = now() where domain = $1`, [`chat.${b.domain}`])
      await admin.query(`update tenant_domains set tenant_id = $2 where domain = $1`, [`extra.${a.domain}`, c.id])
      await expectKept(admin, 'domains verified and moved to another tenant')
      await admin.query(`delete from tenant_domains where tenant_id = $1`, [c.id])
      await expectKept(admin, 'domains deleted')

      // Limits and credentials.
      await admin.query(`update tenant_limits set agent_usage_limit = 2500 where tenant_id = $1`, [a.id])
      await admin.query(`update tenant_limits set active = false where tenant_id = $1`, [b.id])
      await expectKept(admin, 'limits changed')
      await admin.query(`update tenant_credentials set expires_at = now() + interval '40 days' where tenant_id = $1 and label = 'Production'`, [a.id])
      await admin.query(`update tenant_credentials set active = false where tenant_id = $1 and label = 'Staging'`, [b.id])
      await admin.query(`delete from tenant_credentials where tenant_id = $1 and label = 'Staging'`, [c.id])
      await expectKept(admin, 'credentials changed and deleted')

      // Usage: folded into daily_usage_summary, then a bulk load with ordinary triggers off.
      await admin.query(
        `insert into usage_records (tenant_id, usage_type, quantity, currency, period_start, period_end, recorded_at)
         values ($1, 'ai_calls', 70, 'EUR', now() - interval '3 days', now() - interval '3 days', now() - interval '3 days')`,
        [b.id]
      )
      await admin.query('select app.fold_daily_usage()')
      await expectKept(admin, 'usage folded')
      await admin.query('begin')
      await admin.query('set local session_replication_role = replica')
      await admin.query(`insert into tenant_domains (tenant_id, domain, verified) values ($1, $2, true)`, [c.id, `loaded.${c.domain}`])
      await admin.query(`insert into tenant_credentials (tenant_id, client_id, client_secret_encrypted, hmac_secret_encrypted, expires_at) values ($1, $2, 'enc:bench', 'enc:bench', now() + interval '5 days')`, [c.id, `loaded-${c.id.slice(0, 8)}`])
      await admin.query('commit')
      await expectKept(admin, 'bulk load with session_replication_role = replica')
    })

    // And the directory shows the kept figures.
    const page = await support.value('tenants.list', { search: a.slug })
    expect(page.rows[0]).toMatchObject({ id: a.id, agentUsageLimit: 2500, verifiedDomains: 1, domainCount: 2, credentialsExpiring: 1 })
  })

  it('keeps the summary under forced RLS, out of operators\' direct reach', async () => {
    await withAdmin(async (admin) => {
      const { rows } = await admin.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `select relname, relrowsecurity, relforcerowsecurity from pg_class where relname in ('tenant_directory_summary', 'tenant_directory_usage') order by relname`
      )
      expect(rows).toEqual([
        { relname: 'tenant_directory_summary', relrowsecurity: true, relforcerowsecurity: true },
        { relname: 'tenant_directory_usage', relrowsecurity: true, relforcerowsecurity: true }
      ])
      const granted = await admin.query<{ s: boolean; u: boolean }>(
        `select has_table_privilege($1, 'tenant_directory_summary', 'select, insert, update, delete') as s,
                has_table_privilege($1, 'tenant_directory_usage', 'select, insert, update, delete') as u`,
        [support.name]
      )
      expect(granted.rows[0]).toEqual({ s: false, u: false })
    })
  })
})
