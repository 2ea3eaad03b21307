import { lazy } from 'react'
import { defineArea } from '../types'
import { maintenanceCatalog } from './messages'

export const maintenanceArea = defineArea('maintenance', {
  section: 'system',
  icon: 'database',
  catalog: maintenanceCatalog,
  keywords: ['archive', 'archivar', 'partitions', 'particiones', 'jobs', 'tareas', 'cron'],
  Screen: lazy(() => import('./MaintenanceScreen'))
})
