import { lazy } from 'react'
import { defineArea } from '../types'
import { auditCatalog } from './messages'

export const auditLogArea = defineArea('audit', {
  section: 'monitor',
  catalog: auditCatalog,
  keywords: ['audit', 'history', 'changes', 'auditoría', 'historial', 'cambios', 'csv'],
  Screen: lazy(() => import('./AuditScreen'))
})
