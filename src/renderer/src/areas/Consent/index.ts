import { lazy } from 'react'
import { translate } from '../../i18n/define'
import { formatRelative } from '../../i18n/format'
import { defineArea } from '../types'
import { consentCatalog } from './messages'

export const consentArea = defineArea('consent', {
  section: 'operate',
  icon: 'shield',
  catalog: consentCatalog,
  keywords: ['consent', 'gdpr', 'ccpa', 'dsar', 'erasure', 'privacy', 'consentimiento', 'rgpd', 'supresión', 'privacidad'],
  Screen: lazy(() => import('./ConsentScreen')),
  // A tenant's data-subject requests overdue (requestsOverdue) or due within the notice days (requestsDue).
  inbox(item, locale) {
    const tenant = item.tenant?.name ?? ''
    const { overdue, dueSoon, days, nextDueAt } = item.values
    if (item.kind === 'requestsOverdue') {
      return {
        title: translate(consentCatalog, locale, 'inbox.requestsOverdue.title', { tenant }),
        detail: translate(consentCatalog, locale, 'inbox.requestsOverdue.detail', { overdue: Number(overdue), dueSoon: Number(dueSoon), days: Number(days) })
      }
    }
    return {
      title: translate(consentCatalog, locale, 'inbox.requestsDue.title', { tenant }),
      detail: translate(consentCatalog, locale, 'inbox.requestsDue.detail', { dueSoon: Number(dueSoon), days: Number(days), when: formatRelative(String(nextDueAt), new Date(), locale) })
    }
  }
})
