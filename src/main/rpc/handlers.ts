import { connectionsHandlers } from '../domains/connections/handlers'
import { settingsHandlers } from '../domains/settings/handlers'
import { systemHandlers } from '../domains/system/handlers'
import { executionsHandlers } from '../domains/executions/handlers'
import { auditHandlers } from '../domains/audit/handlers'
import { syncHandlers } from '../domains/sync/handlers'
import { tenantsHandlers } from '../domains/tenants/handlers'
import { exportsHandlers } from '../exports/handlers'
import { maintenanceHandlers } from '../domains/maintenance/handlers'
import { usageHandlers } from '../domains/usage/handlers'
import { consentHandlers } from '../domains/consent/handlers'
import { marketplaceHandlers } from '../domains/marketplace/handlers'
import { credentialsHandlers } from '../domains/credentials/handlers'
import { inboxHandlers } from '../inbox/handlers'
import { operatorsHandlers } from '../domains/operators/handlers'
import type { HandlerTable } from './types'

/** Every area's handlers, merged; the HandlerTable type makes a missing procedure a compile error. */
export const handlers: HandlerTable = {
  ...systemHandlers,
  ...connectionsHandlers,
  ...settingsHandlers,
  ...executionsHandlers,
  ...auditHandlers,
  ...syncHandlers,
  ...tenantsHandlers,
  ...exportsHandlers,
  ...maintenanceHandlers,
  ...usageHandlers,
  ...consentHandlers,
  ...marketplaceHandlers,
  ...credentialsHandlers,
  ...inboxHandlers,
  ...operatorsHandlers
}
