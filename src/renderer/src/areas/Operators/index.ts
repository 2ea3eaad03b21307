import { lazy } from 'react'
import { defineArea } from '../types'
import { operatorsCatalog } from './messages'

export const operatorsArea = defineArea('operators', {
  section: 'system',
  icon: 'users',
  catalog: operatorsCatalog,
  keywords: ['access', 'acceso', 'assignments', 'asignaciones', 'break-glass', 'emergencia', 'roles', 'staff', 'personal'],
  Screen: lazy(() => import('./OperatorsScreen'))
})
