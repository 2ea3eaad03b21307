import { lazy } from 'react'
import { defineArea } from '../types'
import { marketplaceCatalog } from './messages'

export const marketplaceArea = defineArea('marketplace', {
  section: 'operate',
  catalog: marketplaceCatalog,
  keywords: ['moderation', 'moderación', 'templates', 'plantillas', 'review queue', 'cola', 'reviews', 'reseñas', 'takedown', 'retirar'],
  Screen: lazy(() => import('./MarketplaceScreen'))
})
