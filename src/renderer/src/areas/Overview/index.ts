import { lazy } from 'react'
import { defineArea } from '../types'
import { overviewCatalog } from './messages'

export const overviewArea = defineArea('overview', {
  section: 'monitor',
  catalog: overviewCatalog,
  keywords: ['home', 'inicio', 'status', 'estado', 'dashboard'],
  Screen: lazy(() => import('./OverviewScreen'))
})
