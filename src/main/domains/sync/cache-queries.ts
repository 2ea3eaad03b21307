import type { TenantOption } from '../../../shared/rpc/areas/sync'
import type { CacheDb } from '../../cache/db'
import { EVERY_TENANT } from '../../cache/sync/apply'

/**
 * The tenants the cache holds rows of: the synced set, once a stream has read a tenant (a cursor
 * of its own, or a stream's shared cursor, EVERY_TENANT). Named from the cached directory (cache
 * migration 7; null until a sync filled it).
 */
export function listCachedTenants(cache: CacheDb): TenantOption[] {
  return cache
    .prepare(
      `SELECT c.value AS id, d.name FROM json_each((SELECT value FROM sync_meta WHERE key = 'tenants')) c
         LEFT JOIN tenant_directory d ON d.id = c.value
        WHERE EXISTS (SELECT 1 FROM sync_cursors WHERE tenant_id = ?) OR c.value IN (SELECT tenant_id FROM sync_cursors)
        ORDER BY d.name COLLATE NOCASE, c.value`
    )
    .all(EVERY_TENANT) as TenantOption[]
}
