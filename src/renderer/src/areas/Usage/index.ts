import { lazy } from 'react'
import { defineArea } from '../types'
import { usageCatalog } from './messages'

export const usageArea = defineArea('usage', {
  section: 'monitor',
  catalog: usageCatalog,
  keywords: ['usage', 'billing', 'invoice', 'anomalies', 'reconciliation', 'uso', 'facturación', 'factura', 'anomalías', 'conciliación', 'csv'],
  Screen: lazy(() => import('./UsageScreen'))
})
