import { lazy } from 'react'
import { defineArea } from '../types'
import { credentialsCatalog } from './messages'

export const credentialsArea = defineArea('credentials', {
  section: 'operate',
  catalog: credentialsCatalog,
  keywords: ['keys', 'claves', 'secrets', 'secretos', 'rotate', 'rotar', 'roll', 'api key', 'webhook', 'jwt'],
  Screen: lazy(() => import('./CredentialsScreen'))
})
