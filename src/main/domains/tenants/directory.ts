import { domainToUnicode } from 'node:url'
import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type { DirectoryFacets, DirectoryPage, DirectoryQuery, DirectoryRow, DirectorySort, TenantLookupMatch, TenantStatus, BreakGlassGrant } from '../../../shared/rpc/areas/tenants'
import type { ProgressEvent } from '../../../shared/events'
import type { ExportStarted } from '../../../shared/rpc/exports'
import type { Database } from '../../db/types'
import type { ExportJobs } from '../../exports/jobs'
import { iso, num } from './values'

interface DirectoryDbRow {
  id: string
  slug: string
  name: string
  contact_email: string | null
  business_industry: string | null
  plan_type: string
  status: TenantStatus
  domains: string[]
  domain_count: number
  verified_domains: number
  agent_usage: string
  agent_usage_limit: number | null
  credentials_expiring: number
  next_credential_expiry: Date | null
  created_at: Date
  break_glass_until: Date | null
}

/**
 * A page's total is exact up to this many matches beyond the pages before it, then "at least"
 * (counting every match is what grew with the directory). It is counted in steps of this size past
 * the page asked for, so scrolling towards the end of a capped total raises it by one step.
 */
export const DIRECTORY_COUNT_STEP = 1000

/** Sort keys are never interpolated from input: each maps to a fixed SQL expression. */
const SORT_EXPRESSIONS: Record<DirectorySort, string> = {
  name: 'lower(d.name)',
  status: 'd.status',
  plan: 'd.plan_type',
  verifiedDomains: 'd.verified_domains',
  usage: 'd.agent_usage::numeric / nullif(d.agent_usage_limit, 0)',
  credentialsExpiring: 'd.credentials_expiring',
  createdAt: 'd.created_at'
}

function toRow(row: DirectoryDbRow): DirectoryRow {
  const agentUsage = num(row.agent_usage)
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    contactEmail: row.contact_email,
    businessIndustry: row.business_industry,
    plan: row.plan_type,
    status: row.status,
    domains: row.domains.map((domain) => domainToUnicode(domain) || domain),
    domainCount: row.domain_count,
    verifiedDomains: row.verified_domains,
    agentUsage,
    agentUsageLimit: row.agent_usage_limit,
    usageRatio: row.agent_usage_limit ? agentUsage / row.agent_usage_limit : null,
    credentialsExpiring: row.credentials_expiring,
    nextCredentialExpiry: iso(row.next_credential_expiry),
    createdAt: iso(row.created_at),
    breakGlassUntil: iso(row.break_glass_until)
  }
}

const DIRECTORY_COLUMNS = `d.id, d.slug, d.name, d.contact_email, d.business_industry, d.plan_type, d.status, d.domains, d.domain_count,
  d.verified_domains, d.agent_usage, d.agent_usage_limit, d.credentials_expiring, d.next_credential_expiry, d.created_at`

/** Every match in the directory's order: the CSV export's rows (a background job, linear by nature). */
async function selectWholeDirectory(client: PoolClient, filter: DirectoryQuery): Promise<DirectoryDbRow[]> {
  const order = `${SORT_EXPRESSIONS[filter.sort]} ${filter.direction} nulls last, lower(d.name), d.id`
  const { rows } = await client.query<DirectoryDbRow>(
    `select ${DIRECTORY_COLUMNS}, g.expires_at as break_glass_until
       from app.tenant_directory($1, $2, $3, $4) d
       left join (select v.tenant_id, v.expires_at from app.visible_tenants() v where v.access = 'break_glass') g on g.tenant_id = d.id
      order by ${order}`,
    [filter.search || null, filter.status, filter.plan, filter.industry]
  )
  return rows
}

/**
 * One page, read by the database in the order of an index and stopped at its last row, with the
 * count up to the next step past it (migration 027): both cost the page and the cap, not the directory.
 */
export async function listDirectory(db: Database, filter: DirectoryQuery, page: { offset: number; limit: number }): Promise<DirectoryPage> {
  const args = [filter.search || null, filter.status, filter.plan, filter.industry]
  const cap = DIRECTORY_COUNT_STEP * (Math.floor((page.offset + page.limit) / DIRECTORY_COUNT_STEP) + 1)
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<DirectoryDbRow & { total: number; total_capped: boolean }>(
      `select ${DIRECTORY_COLUMNS}, d.break_glass_until, d.total, d.total_capped from app.tenant_directory_page($1, $2, $3, $4, $5, $6, $7, $8, $9) d`,
      [...args, filter.sort, filter.direction === 'desc', page.offset, page.limit, cap]
    )
    if (rows[0]) return { rows: rows.map(toRow), total: rows[0].total, totalCapped: rows[0].total_capped, offset: page.offset }
    // Past the last page the rows cannot carry the count.
    const counted = await client.query<{ total: number; capped: boolean }>('select total, capped from app.tenant_directory_count($1, $2, $3, $4, $5)', [...args, cap])
    return { rows: [], total: counted.rows[0]!.total, totalCapped: counted.rows[0]!.capped, offset: page.offset }
  })
}

export async function directoryFacets(db: Database): Promise<DirectoryFacets> {
  return db.withPlatform(async (client) => {
    // Without a tenant context the tenants policy shows exactly the operator's directory.
    const { rows } = await client.query<{ plans: string[]; industries: string[] }>(
      `select array(select distinct plan_type::text from tenants order by 1) as plans,
              array(select distinct business_industry::text from tenants where business_industry is not null order by 1) as industries`
    )
    return rows[0]!
  })
}

const CSV_HEADER = ['slug', 'name', 'status', 'plan', 'industry', 'contact_email', 'domains', 'verified_domains', 'agent_usage_last_day',
  'agent_usage_limit', 'credentials_expiring', 'next_credential_expiry', 'created_at']

/**
 * The filtered directory as CSV through the one export path. The directory is read before the call
 * returns (a refusal is the call's typed error); the file is written in the background.
 */
export async function exportDirectoryCsv(
  db: Database,
  exports: ExportJobs,
  input: { filter: DirectoryQuery; jobId: string },
  emit: (event: ProgressEvent) => void,
  today = new Date()
): Promise<ExportStarted> {
  const rows = (await db.withPlatform((client) => selectWholeDirectory(client, input.filter))).map(toRow)
  return exports.start(
    {
      jobId: input.jobId,
      label: 'Exporting the tenant directory',
      doneLabel: 'Tenant directory exported',
      entries: [
        {
          name: `tenants-${today.toISOString().slice(0, 10)}.csv`,
          header: CSV_HEADER,
          total: rows.length,
          async *pages() {
            yield rows.map((r) => [r.slug, r.name, r.status, r.plan, r.businessIndustry, r.contactEmail, r.domains.join(' '), r.verifiedDomains,
              r.agentUsage, r.agentUsageLimit, r.credentialsExpiring, r.nextCredentialExpiry, r.createdAt])
          }
        }
      ]
    },
    emit
  )
}

export async function searchTenants(db: Database, query: string, limit: number) {
  const page = await listDirectory(db, { search: query, status: null, plan: null, industry: null, sort: 'name', direction: 'asc' }, { offset: 0, limit })
  return { matches: page.rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, status: r.status })) }
}

export async function lookupTenant(db: Database, term: string): Promise<{ matches: TenantLookupMatch[] }> {
  const { rows } = await db.withPlatform((client) => client.query<TenantLookupMatch>('select id, slug, name, visible from app.lookup_tenant($1)', [term]))
  return { matches: rows }
}

export async function requestBreakGlass(db: Database, input: { tenantId: string; reason: string; minutes: number }): Promise<BreakGlassGrant> {
  const { rows } = await db.withPlatform((client) =>
    client.query<{ tenant_id: string; expires_at: Date }>('select tenant_id, expires_at from app.request_break_glass($1, $2, $3)', [
      input.tenantId, input.reason, input.minutes
    ])
  )
  const grant = rows[0]
  if (!grant) throw new RpcError('INTERNAL', 'The access grant was not recorded.')
  return { tenantId: grant.tenant_id, expiresAt: iso(grant.expires_at) }
}
