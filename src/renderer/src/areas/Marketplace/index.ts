import { lazy } from 'react'
import { translate } from '../../i18n/define'
import { formatRelative } from '../../i18n/format'
import { defineArea } from '../types'
import { marketplaceCatalog } from './messages'

export const marketplaceArea = defineArea('marketplace', {
  section: 'operate',
  catalog: marketplaceCatalog,
  keywords: ['moderation', 'moderación', 'templates', 'plantillas', 'review queue', 'cola', 'reviews', 'reseñas', 'takedown', 'retirar'],
  Screen: lazy(() => import('./MarketplaceScreen')),
  // One kind of item: the review queue over its SLA target.
  inbox(item, locale) {
    return {
      title: translate(marketplaceCatalog, locale, 'inbox.overSla.title', { hours: Number(item.values.slaHours) }),
      detail: translate(marketplaceCatalog, locale, 'inbox.overSla.detail', { count: Number(item.values.count), when: formatRelative(String(item.values.oldestSubmittedAt), new Date(), locale) })
    }
  }
})
