import { lazy } from 'react'
import { defineArea } from '../types'
import { consentCatalog } from './messages'

export const consentArea = defineArea('consent', {
  section: 'operate',
  icon: 'shield',
  catalog: consentCatalog,
  keywords: ['consent', 'gdpr', 'ccpa', 'dsar', 'erasure', 'privacy', 'consentimiento', 'rgpd', 'supresión', 'privacidad'],
  Screen: lazy(() => import('./ConsentScreen'))
})
