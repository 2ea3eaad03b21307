import { lazy } from 'react'
import { hrefOf } from '../../routing/hash'
import { rpc } from '../../rpc/transport'
import { defineArea } from '../types'
import { tenantsCatalog } from './messages'

export const tenantsArea = defineArea('tenants', {
  section: 'operate',
  catalog: tenantsCatalog,
  keywords: ['customers', 'clientes', 'support', 'soporte', 'domains', 'dominios', 'limits', 'límites', 'break-glass'],
  Screen: lazy(() => import('./TenantsScreen')),
  paletteProvider: {
    id: 'tenants.search',
    minQueryLength: 2,
    capability: 'tenants.directory',
    async search(query) {
      const { matches } = await rpc.call('tenants.search', { query, limit: 8 })
      return matches.map((m) => ({ id: `tenant:${m.id}`, label: m.name, hint: m.slug, icon: 'tenants' as const, href: hrefOf(['tenants', m.id]) }))
    }
  }
})
