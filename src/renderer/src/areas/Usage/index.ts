import { lazy } from 'react'
import { translate } from '../../i18n/define'
import { defineArea } from '../types'
import { usageCatalog } from './messages'
import { formatDay } from '../../i18n/format'

export const usageArea = defineArea('usage', {
  section: 'monitor',
  catalog: usageCatalog,
  keywords: ['usage', 'billing', 'invoice', 'anomalies', 'reconciliation', 'uso', 'facturación', 'factura', 'anomalías', 'conciliación', 'csv'],
  Screen: lazy(() => import('./UsageScreen')),
  // One kind of item: a tenant with unusual days of usage, worded by its most unusual one.
  inbox(item, locale) {
    const { days, periodDays, date, usageType, quantity, median } = item.values
    return {
      title: translate(usageCatalog, locale, 'inbox.anomalies.title', { tenant: item.tenant?.name ?? '', days: Number(days), periodDays: Number(periodDays) }),
      detail: translate(usageCatalog, locale, 'inbox.anomalies.detail', {
        quantity: Number(quantity),
        type: translate(usageCatalog, locale, `type.${usageType as 'executions' | 'ai_calls' | 'storage'}`),
        date: formatDay(String(date), locale),
        median: Number(median)
      })
    }
  }
})
