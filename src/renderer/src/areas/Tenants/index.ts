import { lazy } from 'react'
import { translate } from '../../i18n/define'
import { formatRelative, formatTime } from '../../i18n/format'
import { hrefOf } from '../../routing/hash'
import { rpc } from '../../rpc/transport'
import { defineArea } from '../types'
import { tenantsCatalog } from './messages'

export const tenantsArea = defineArea('tenants', {
  section: 'operate',
  catalog: tenantsCatalog,
  keywords: ['customers', 'clientes', 'support', 'soporte', 'domains', 'dominios', 'limits', 'límites', 'break-glass'],
  Screen: lazy(() => import('./TenantsScreen')),
  inbox(item, locale) {
    const tenant = item.tenant?.name ?? ''
    if (item.kind === 'overLimit') {
      return {
        title: translate(tenantsCatalog, locale, 'inbox.overLimit.title', { tenant }),
        detail: translate(tenantsCatalog, locale, 'inbox.overLimit.detail', { used: Number(item.values.used), allowed: Number(item.values.allowed) })
      }
    }
    const expiresAt = String(item.values.expiresAt)
    return {
      title: translate(tenantsCatalog, locale, 'inbox.breakGlassEnding.title', { tenant, when: formatRelative(expiresAt, new Date(), locale) }),
      detail: translate(tenantsCatalog, locale, 'inbox.breakGlassEnding.detail', { time: formatTime(String(expiresAt), locale) })
    }
  },
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
