import { lazy } from 'react'
import { translate } from '../../i18n/define'
import { defineArea } from '../types'
import { executionsCatalog } from './messages'
import { formatPercent } from '../../i18n/format'

export const executionsArea = defineArea('executions', {
  section: 'monitor',
  catalog: executionsCatalog,
  keywords: ['runs', 'workflows', 'errors', 'ejecuciones', 'flujos', 'errores', 'n8n'],
  Screen: lazy(() => import('./ExecutionsScreen')),
  // One kind of item: a tenant whose workflows fail more than usual.
  inbox(item, locale) {
    const { failed, total, hours, rate, usual } = item.values
    return {
      title: translate(executionsCatalog, locale, 'inbox.failing.title', { tenant: item.tenant?.name ?? '' }),
      detail: translate(executionsCatalog, locale, 'inbox.failing.detail', {
        failed: Number(failed),
        total: Number(total),
        hours: Number(hours),
        rate: formatPercent(Number(rate), locale),
        usual: formatPercent(Number(usual), locale)
      })
    }
  }
})
