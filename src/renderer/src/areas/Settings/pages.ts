import { lazy, type ComponentType, type LazyExoticComponent } from 'react'
import type { IconName } from '../../components/Icon'

/** Settings' own pages (#/settings/<id>); another area's settings page is one more entry here. */
export interface SettingsPage {
  id: string
  titleKey: 'page.connections' | 'page.general' | 'page.sync'
  icon: IconName
  Page: LazyExoticComponent<ComponentType>
}

export const settingsPages: readonly SettingsPage[] = [
  { id: 'connections', titleKey: 'page.connections', icon: 'database', Page: lazy(() => import('./ConnectionsPage').then((m) => ({ default: m.ConnectionsPage }))) },
  { id: 'sync', titleKey: 'page.sync', icon: 'refresh', Page: lazy(() => import('./OfflineSyncPage').then((m) => ({ default: m.OfflineSyncPage }))) },
  { id: 'general', titleKey: 'page.general', icon: 'settings', Page: lazy(() => import('./GeneralPage').then((m) => ({ default: m.GeneralPage }))) }
]
