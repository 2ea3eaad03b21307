import { lazy } from 'react'
import { rankByFuzzy } from '../../palette/fuzzy'
import { translate } from '../../i18n/define'
import { formatRelative } from '../../i18n/format'
import { hrefOf } from '../../routing/hash'
import { defineArea } from '../types'
import { settingsCatalog } from './messages'
import { settingsPages } from './pages'

export const settingsArea = defineArea('settings', {
  section: 'system',
  catalog: settingsCatalog,
  keywords: ['preferences', 'preferencias', 'configuration', 'ajustes'],
  Screen: lazy(() => import('./SettingsScreen')),
  // The offline sync's items: a failed run, or a cache far older than its interval.
  inbox(item, locale) {
    const last = typeof item.values.lastSyncAt === 'string' ? formatRelative(item.values.lastSyncAt, new Date(), locale) : null
    if (item.kind === 'syncFailed') {
      return {
        title: translate(settingsCatalog, locale, 'inbox.syncFailed.title'),
        detail: last ? translate(settingsCatalog, locale, 'inbox.syncFailed.detail', { when: last }) : translate(settingsCatalog, locale, 'inbox.syncFailed.detailNever')
      }
    }
    return {
      title: translate(settingsCatalog, locale, 'inbox.syncStalled.title'),
      detail: translate(settingsCatalog, locale, 'inbox.syncStalled.detail', { when: last ?? '—', interval: Number(item.values.intervalMinutes) })
    }
  },
  // Lets the palette jump straight to a settings page, e.g. "Connections".
  paletteProvider: {
    id: 'settings-pages',
    async search(query, { locale }) {
      const area = translate(settingsCatalog, locale, 'area.title')
      const pages = settingsPages.map((page) => ({ page, title: translate(settingsCatalog, locale, page.titleKey) }))
      return rankByFuzzy(pages, query, ({ title }) => [title, `${area} ${title}`]).map(({ item }) => ({
        id: item.page.id,
        label: item.title,
        icon: item.page.icon,
        href: hrefOf(['settings', item.page.id])
      }))
    }
  }
})
