import { useMemo } from 'react'
import { hasCapability } from '../../../shared/capabilities'
import { areas } from '../areas/registry'
import type { AreaDefinition, PaletteProvider } from '../areas/types'
import { useConnection } from '../stores/connection'

/**
 * The areas the signed-in operator's groups can use, in navigation order; the others are hidden so
 * nobody lands on a screen that can only refuse. While not online the groups are unknown and every
 * area shows (the offline cache holds only what the role could read anyway).
 */
export function useVisibleAreas(): readonly AreaDefinition[] {
  const groups = useConnection((state) => (state.status?.state === 'online' ? state.status.groups : null))
  return useMemo(() => (groups === null ? areas : areas.filter((area) => hasCapability(groups, area.capability))), [groups])
}

/** Whether the operator may use a palette provider (same rule as useVisibleAreas while not online). */
export function useProviderAllowed(): (provider: PaletteProvider) => boolean {
  const groups = useConnection((state) => (state.status?.state === 'online' ? state.status.groups : null))
  return (provider) => groups === null || provider.capability === undefined || hasCapability(groups, provider.capability)
}
