import type { TenantStatus } from '../../../../shared/rpc/areas/tenants'
import { useT } from '../../i18n/useT'
import { tenantsCatalog } from './messages'

export function StatusBadge({ status }: { status: TenantStatus }) {
  const t = useT(tenantsCatalog)
  return <span className={`badge tenant-status tenant-status--${status}`}>{t(`status.${status}`)}</span>
}
