import { useId } from 'react'
import { checkCapability, hasCapability, type Capability } from '../../../shared/capabilities'
import { useT } from '../i18n/useT'
import { useConnection, useIsOnline } from '../stores/connection'
import { capabilitiesCatalog } from './messages'
import './gate.css'

const NO_GROUPS: readonly string[] = []

/** The signed-in operator's groups, as the server reported them; none while not online. */
export function useGroups(): readonly string[] {
  return useConnection((state) => (state.status?.state === 'online' ? state.status.groups : NO_GROUPS))
}

/** Whether the signed-in operator's groups allow `capability` (false while the groups are unknown). */
export function useCapability(capability: Capability): boolean {
  return hasCapability(useGroups(), capability)
}

/**
 * Whether a control for `capability` is enabled, and if not the sentence that says why (linked to
 * the control with aria-describedby). The database refuses the action anyway; this only avoids a
 * button that can only fail. Offline comes first: without a connection the groups are unknown.
 */
export function useGate(capability: Capability) {
  const t = useT(capabilitiesCatalog)
  const online = useIsOnline()
  const groups = useGroups()
  const id = useId()
  const rule = checkCapability(groups, capability)
  const reason = !online ? t('denied.offline') : !rule.allowed ? t(`denied.${rule.reason}`) : null
  return {
    disabled: reason !== null,
    describedBy: reason ? id : undefined,
    note: reason ? (
      <p id={id} className="callout gate-denied">
        {reason}
      </p>
    ) : null
  }
}
