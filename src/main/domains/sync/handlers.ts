import type { AreaHandlers } from '../../rpc/types'
import type { TenantOption } from '../../../shared/rpc/areas/sync'
import { readFrom } from '../../reads/source'
import { listCachedTenants } from './cache-queries'

export const syncHandlers: AreaHandlers<'sync'> = {
  'sync.status': async (_input, { backend }) => backend.offlineCache.status(),
  'sync.now': async (_input, { backend }) => backend.offlineCache.syncNow(),
  'sync.tenants': async (_input, { backend }) => {
    const { value, source } = await readFrom<TenantOption[]>(backend, 'auto', {
      server: async (db) => {
        const { rows } = await db.withPlatform((client) =>
          client.query<TenantOption>(
            `select t.id::text as id, t.name from tenants t
             where t.id in (select tenant_id from app.visible_tenants()) order by t.name, t.id`
          )
        )
        return rows
      },
      cache: listCachedTenants
    })
    return { source, tenants: value }
  }
}
