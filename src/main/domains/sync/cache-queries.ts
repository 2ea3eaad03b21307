import type { TenantOption } from '../../../shared/rpc/areas/sync'
import type { CacheDb } from '../../cache/db'

/** The tenants the cache holds rows of, named from the cached directory (cache migration 7; null until a sync filled it). */
export function listCachedTenants(cache: CacheDb): TenantOption[] {
  return cache
    .prepare(
      `SELECT c.tenant_id AS id, d.name FROM (SELECT DISTINCT tenant_id FROM sync_cursors) c
         LEFT JOIN tenant_directory d ON d.id = c.tenant_id
        ORDER BY d.name COLLATE NOCASE, c.tenant_id`
    )
    .all() as TenantOption[]
}
