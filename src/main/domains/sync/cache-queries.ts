import type { TenantOption } from '../../../shared/rpc/areas/sync'
import type { CacheDb } from '../../cache/db'

/** The tenants the cache holds rows of; the cache keeps no tenant names. */
export function listCachedTenants(cache: CacheDb): TenantOption[] {
  return (cache.prepare('SELECT DISTINCT tenant_id FROM sync_cursors ORDER BY tenant_id').pluck().all() as string[]).map((id) => ({ id, name: null }))
}
