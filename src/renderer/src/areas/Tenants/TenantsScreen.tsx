import type { AreaScreenProps } from '../types'
import { Directory } from './Directory'
import { TenantDetail } from './TenantDetail'
import './tenants.css'

/** #/tenants → the directory; #/tenants/<id>/<tab> → one tenant. */
export default function TenantsScreen({ path }: AreaScreenProps) {
  const [tenantId, tab] = path
  return tenantId ? <TenantDetail key={tenantId} tenantId={tenantId} tab={tab} /> : <Directory />
}
