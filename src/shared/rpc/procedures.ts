import { connectionsProcedures } from './areas/connections'
import { settingsProcedures } from './areas/settings'
import { systemProcedures } from './areas/system'
import { executionsProcedures } from './areas/executions'
import { auditProcedures } from './areas/audit'
import { syncProcedures } from './areas/sync'
import { tenantsProcedures } from './areas/tenants'
import { exportsProcedures } from './areas/exports'
import { maintenanceProcedures } from './areas/maintenance'
import { usageProcedures } from './areas/usage'
import { consentProcedures } from './areas/consent'
import { marketplaceProcedures } from './areas/marketplace'
import { credentialsProcedures } from './areas/credentials'
import { inboxProcedures } from './areas/inbox'
import { operatorsProcedures } from './areas/operators'

/**
 * The one procedure table. Each area of the console adds its own module under ./areas and is
 * spread in here; names are `area.verb` and must not collide (checked by test/rpc/table.test.ts).
 * The main process implements exactly these names; the renderer's client is derived from them.
 */
export const procedures = {
  ...systemProcedures,
  ...connectionsProcedures,
  ...settingsProcedures,
  ...executionsProcedures,
  ...auditProcedures,
  ...syncProcedures,
  ...tenantsProcedures,
  ...exportsProcedures,
  ...maintenanceProcedures,
  ...usageProcedures,
  ...consentProcedures,
  ...marketplaceProcedures,
  ...credentialsProcedures,
  ...inboxProcedures,
  ...operatorsProcedures
} as const

export type Procedures = typeof procedures
export type ProcedureName = keyof Procedures
