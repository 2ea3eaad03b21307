import { useCapability } from '../../capabilities/useGate'
import { useIsOnline } from '../../stores/connection'
import type { AreaScreenProps } from '../types'
import { CachedTenant } from './CachedTenant'
import { Directory } from './Directory'
import { TenantDetail } from './TenantDetail'
import { TenantNames } from './TenantNames'
import './tenants.css'

/**
 * #/tenants → the directory (support and admins) or the list of names (finance, moderators);
 * #/tenants/<id>/<tab> → one tenant. Offline (the groups are unknown then) both read the cache's
 * copy of the synced tenants' directory: names, statuses, plans and limits.
 */
export default function TenantsScreen({ path }: AreaScreenProps) {
  const [tenantId, tab] = path
  const online = useIsOnline()
  const directory = useCapability('tenants.directory')
  if (tenantId) return online ? <TenantDetail key={tenantId} tenantId={tenantId} tab={tab} /> : <CachedTenant key={tenantId} tenantId={tenantId} />
  if (!online) return <TenantNames offline />
  return directory ? <Directory /> : <TenantNames />
}
