import { useCapability } from '../../capabilities/useGate'
import { useIsOnline } from '../../stores/connection'
import type { AreaScreenProps } from '../types'
import { Directory } from './Directory'
import { TenantDetail } from './TenantDetail'
import { TenantNames } from './TenantNames'
import './tenants.css'

/**
 * #/tenants → the directory (support and admins) or the list of names (finance, moderators);
 * #/tenants/<id>/<tab> → one tenant. While offline the groups are unknown: the directory says so.
 */
export default function TenantsScreen({ path }: AreaScreenProps) {
  const [tenantId, tab] = path
  const online = useIsOnline()
  const directory = useCapability('tenants.directory')
  if (tenantId) return <TenantDetail key={tenantId} tenantId={tenantId} tab={tab} />
  return online && !directory ? <TenantNames /> : <Directory />
}
