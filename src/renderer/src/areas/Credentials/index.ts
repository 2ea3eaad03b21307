import { lazy } from 'react'
import { translate } from '../../i18n/define'
import { formatRelative } from '../../i18n/format'
import { defineArea } from '../types'
import { credentialsCatalog } from './messages'

export const credentialsArea = defineArea('credentials', {
  section: 'operate',
  catalog: credentialsCatalog,
  keywords: ['keys', 'claves', 'secrets', 'secretos', 'rotate', 'rotar', 'roll', 'api key', 'webhook', 'jwt'],
  Screen: lazy(() => import('./CredentialsScreen')),
  // Credentials past their expiry (credentialsOverdue) or within the due days of it (credentialsDue).
  inbox(item, locale) {
    const count = Number(item.values.count)
    if (item.kind === 'credentialsOverdue') {
      return { title: translate(credentialsCatalog, locale, 'inbox.credentialsOverdue.title'), detail: translate(credentialsCatalog, locale, 'inbox.credentialsOverdue.detail', { count }) }
    }
    return {
      title: translate(credentialsCatalog, locale, 'inbox.credentialsDue.title'),
      detail: translate(credentialsCatalog, locale, 'inbox.credentialsDue.detail', { count, days: Number(item.values.days), when: formatRelative(item.at, new Date(), locale) })
    }
  }
})
