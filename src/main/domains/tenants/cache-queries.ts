import { RpcError } from '../../../shared/rpc/errors'
import type { CachedTenant, TenantName, TenantNamesPage, TenantStatus } from '../../../shared/rpc/areas/tenants'
import type { CacheDb } from '../../cache/db'

interface CachedRow {
  id: string
  slug: string
  name: string
  status: TenantStatus | null
  plan: string | null
  industry: string | null
  agent_usage_limit: number | null
  storage_limit_mb: number | null
}

/** The search as in the server's list: a plain substring of the name or slug (instr, no pattern characters). */
const MATCHES = `(@search = '' OR instr(lower(name), lower(@search)) > 0 OR instr(slug, lower(@search)) > 0)`

/** The cached directory of the synced tenants (cache migration 7), by name, as the server's narrow list. */
export function listCachedNames(cache: CacheDb, search: string, page: { offset: number; limit: number }): Omit<TenantNamesPage, 'source' | 'syncedAt'> {
  const rows = cache
    .prepare(`SELECT id, slug, name, plan, status FROM tenant_directory WHERE ${MATCHES} ORDER BY name COLLATE NOCASE, id LIMIT @limit OFFSET @offset`)
    .all({ search, limit: page.limit, offset: page.offset }) as TenantName[]
  const total = cache.prepare(`SELECT count(*) FROM tenant_directory WHERE ${MATCHES}`).pluck().get({ search }) as number
  return { rows, total, offset: page.offset }
}

/** One synced tenant's directory fields; a tenant the cache does not hold is as absent as on the server. */
export function cachedTenant(cache: CacheDb, tenantId: string): CachedTenant {
  const row = cache.prepare('SELECT * FROM tenant_directory WHERE id = ?').get(tenantId) as CachedRow | undefined
  if (!row) throw new RpcError('NOT_FOUND', 'This tenant is not in the offline cache: sync while online to read it here.')
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    plan: row.plan,
    industry: row.industry,
    agentUsageLimit: row.agent_usage_limit,
    storageLimitMb: row.storage_limit_mb
  }
}
