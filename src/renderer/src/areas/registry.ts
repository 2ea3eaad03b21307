import type { AreaDefinition, NavSection } from './types'
import { overviewArea } from './Overview'
import { settingsArea } from './Settings'
import { executionsArea } from './Executions'
import { auditLogArea } from './AuditLog'
import { tenantsArea } from './Tenants'

/**
 * The console's areas, in navigation order. To add one: create `areas/<Area>/index.ts` exporting
 * `defineArea({...})` (its catalog, icon, section, lazy screen and optional palette provider) and
 * add it to this list, with its `area.<id>` entry in src/shared/capabilities.ts. Nothing else in the frame changes.
 */
export const areas: readonly AreaDefinition[] = [overviewArea, tenantsArea, executionsArea, auditLogArea, settingsArea]

export const SECTIONS: readonly NavSection[] = ['monitor', 'operate', 'system']

export const HOME_AREA_ID = 'overview'
