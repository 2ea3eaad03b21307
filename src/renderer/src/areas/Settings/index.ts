import { lazy } from 'react'
import { rankByFuzzy } from '../../palette/fuzzy'
import { translate } from '../../i18n/define'
import { hrefOf } from '../../routing/hash'
import { defineArea } from '../types'
import { settingsCatalog } from './messages'
import { settingsPages } from './pages'

export const settingsArea = defineArea('settings', {
  section: 'system',
  catalog: settingsCatalog,
  keywords: ['preferences', 'preferencias', 'configuration', 'ajustes'],
  Screen: lazy(() => import('./SettingsScreen')),
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
