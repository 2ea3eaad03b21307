import { gateHandlers, requireCapability } from '../../rpc/gate'
import type { AreaHandlers } from '../../rpc/types'
import { anomalies, overview, reconciliation, tenantDays, tenantUsage } from './compute'
import { exportUsageCsv } from './export'
import { readUsage } from './read'

/** Refused early, while online, to the groups that may not open the area (src/shared/capabilities.ts). */
export const usageHandlers: AreaHandlers<'usage'> = gateHandlers('area.usage', {
  'usage.overview': async (input, { backend }) => readUsage(backend, input.source, (store) => overview(store, input)),
  'usage.tenant': async (input, { backend }) => {
    requireCapability(backend, 'usage.invoicePreview')
    return readUsage(backend, input.source, (store) => tenantUsage(store, input))
  },
  'usage.tenantDays': async (input, { backend }) => readUsage(backend, input.source, (store) => tenantDays(store, input)),
  'usage.anomalies': async (input, { backend }) => readUsage(backend, input.source, (store) => anomalies(store, input)),
  'usage.reconciliation': async (input, { backend }) => {
    requireCapability(backend, 'usage.reconcile')
    return readUsage(backend, input.source, (store) => reconciliation(store, input))
  },
  'usage.export': async (input, { backend, emit }) => exportUsageCsv(backend, input, emit)
})
