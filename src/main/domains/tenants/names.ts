import type { PoolClient } from 'pg'
import type { TenantNamesPage, TenantStatus } from '../../../shared/rpc/areas/tenants'
import type { Database } from '../../db/types'
import { num } from './values'

/** The search ($1) as plain substrings of the name or slug: no pattern characters to escape. */
const MATCHES = `$1 = '' or strpos(lower(t.name), lower($1)) > 0 or strpos(t.slug, lower($1)) > 0`

/** Columns beyond id, slug and name, read only when the role's column grants include them. */
const OPTIONAL_COLUMNS = { plan: 'plan_type', status: 'status' } as const

/**
 * The narrow tenant list: what the tenants table shows the operator's role without a tenant
 * context (support: its directory; finance and moderators: the platform's names, by their group's
 * policy), and only the columns its grants allow. Finance gets names, slugs, plans and statuses;
 * contacts, domains, credentials and conversations are not read, and its grants refuse them anyway.
 */
export async function listTenantNames(db: Database, search: string, page: { offset: number; limit: number }): Promise<Omit<TenantNamesPage, 'source' | 'syncedAt'>> {
  return db.withPlatform(async (client) => {
    const granted = await client.query<{ plan: boolean; status: boolean }>(
      `select has_column_privilege('public.tenants', $1, 'SELECT') as plan, has_column_privilege('public.tenants', $2, 'SELECT') as status`,
      [OPTIONAL_COLUMNS.plan, OPTIONAL_COLUMNS.status]
    )
    const { plan, status } = granted.rows[0]!
    // Fixed column names chosen by a boolean, never text from the input.
    const planColumn = plan ? `t.${OPTIONAL_COLUMNS.plan}::text` : 'null::text'
    const statusColumn = status ? `t.${OPTIONAL_COLUMNS.status}::text` : 'null::text'
    const { rows } = await client.query<{ id: string; slug: string; name: string; plan: string | null; status: TenantStatus | null; total: string }>(
      `select t.id::text, t.slug::text, t.name::text, ${planColumn} as plan, ${statusColumn} as status, count(*) over () as total
         from public.tenants t
        where ${MATCHES}
        order by lower(t.name), t.id
       offset $2 limit $3`,
      [search, page.offset, page.limit]
    )
    const total = rows[0] ? num(rows[0].total) : page.offset > 0 ? await countNames(client, search) : 0
    return { rows: rows.map(({ total: _total, ...row }) => row), total, offset: page.offset }
  })
}

/** The total for a page past the end, which has no row to carry it. */
async function countNames(client: PoolClient, search: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`select count(*) as n from public.tenants t where ${MATCHES}`, [search])
  return num(rows[0]!.n)
}
