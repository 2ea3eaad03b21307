import type { AreaDefinition, NavSection } from './types'
import { overviewArea } from './Overview'
import { settingsArea } from './Settings'
import { executionsArea } from './Executions'
import { auditLogArea } from './AuditLog'
import { tenantsArea } from './Tenants'
import { maintenanceArea } from './Maintenance'
import { usageArea } from './Usage'
import { consentArea } from './Consent'
import { marketplaceArea } from './Marketplace'
import { credentialsArea } from './Credentials'
import { operatorsArea } from './Operators'

export const areas: readonly AreaDefinition[] = [overviewArea, tenantsArea, executionsArea, auditLogArea, usageArea, marketplaceArea, consentArea, credentialsArea, operatorsArea, maintenanceArea, settingsArea]

/**
 * The console's areas, in navigation order. To add one: create `areas/<Area>/index.ts` exporting
 * `defineArea(id, {...})` (its catalog, icon unless named like the area, section, lazy screen and
 * optional palette provider), give it its `area.<id>` entry in src/shared/capabilities.ts (who may
 * open it) and add it to this list. Nothing else in the frame changes.
 */

export const SECTIONS: readonly NavSection[] = ['monitor', 'operate', 'system']

export const HOME_AREA_ID = 'overview'
