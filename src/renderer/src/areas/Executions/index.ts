import { lazy } from 'react'
import { translate } from '../../i18n/define'
import { defineArea } from '../types'
import { executionsCatalog } from './messages'

export const executionsArea = defineArea('executions', {
  section: 'monitor',
  catalog: executionsCatalog,
  keywords: ['runs', 'workflows', 'errors', 'ejecuciones', 'flujos', 'errores', 'n8n'],
  Screen: lazy(() => import('./ExecutionsScreen')),
  // One kind of item: a tenant whose workflows fail more than usual.
  inbox(item, locale) {
    const number = new Intl.NumberFormat(locale)
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })
    const { failed, total, hours, rate, usual } = item.values
    return {
      title: translate(executionsCatalog, locale, 'inbox.failing.title', { tenant: item.tenant?.name ?? '' }),
      detail: translate(executionsCatalog, locale, 'inbox.failing.detail', {
        failed: number.format(Number(failed)),
        total: number.format(Number(total)),
        hours: number.format(Number(hours)),
        rate: percent.format(Number(rate)),
        usual: percent.format(Number(usual))
      })
    }
  }
})
