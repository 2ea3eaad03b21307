import { lazy } from 'react'
import { defineArea } from '../types'
import { executionsCatalog } from './messages'

export const executionsArea = defineArea('executions', {
  section: 'monitor',
  catalog: executionsCatalog,
  keywords: ['runs', 'workflows', 'errors', 'ejecuciones', 'flujos', 'errores', 'n8n'],
  Screen: lazy(() => import('./ExecutionsScreen'))
})
