import { useId } from 'react'
import type { Capabilities, Capability } from '../../../../shared/rpc/areas/tenants'
import { useT } from '../../i18n/useT'
import { tenantsCatalog } from './messages'
import { useIsOnline } from '../../stores/connection'

/**
 * Whether a control for `capability` is enabled, and if not the sentence that says why (linked to
 * the control with aria-describedby). The database refuses the action anyway; this only avoids a
 * button that can only fail.
 */
export function useGate(capabilities: Capabilities, capability: Capability) {
  const t = useT(tenantsCatalog)
  const online = useIsOnline()
  const id = useId()
  const rule = capabilities[capability]
  const reason = !rule.allowed ? t(`denied.${rule.reason}`) : !online ? t('denied.offline') : null
  return {
    disabled: reason !== null,
    describedBy: reason ? id : undefined,
    note: reason ? (
      <p id={id} className="callout tenant-denied">
        {reason}
      </p>
    ) : null
  }
}
