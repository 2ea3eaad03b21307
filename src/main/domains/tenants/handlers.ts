import type { Capability } from '../../../shared/capabilities'
import { RpcError } from '../../../shared/rpc/errors'
import { lastSyncedAt } from '../../cache/last-synced'
import { readFrom } from '../../reads/source'
import { requireCapability } from '../../rpc/gate'
import type { AreaHandlers, HandlerContext } from '../../rpc/types'
import { requireDatabase } from './access'
import { cachedTenant, listCachedNames } from './cache-queries'
import { addDomain, removeDomain, setStatus, updateLimits, updateProfile } from './changes'
import { tenantDetail } from './detail'
import { directoryFacets, exportDirectoryCsv, listDirectory, lookupTenant, requestBreakGlass, searchTenants } from './directory'
import { listTenantNames } from './names'
import { listSessions, searchConversations, transcript } from './support'
import { tenantTimeline } from './timeline'

/** The database, once the operator's groups allow `capability` (refused early otherwise). */
function gated(ctx: HandlerContext, capability: Capability) {
  requireCapability(ctx.backend, capability)
  return requireDatabase(ctx)
}

export const tenantsHandlers: AreaHandlers<'tenants'> = {
  'tenants.list': async ({ offset, limit, ...filter }, ctx) => listDirectory(gated(ctx, 'tenants.directory'), filter, { offset, limit }),
  // Offline from the cached directory (cache migration 7), so the area opens and names its tenants.
  'tenants.names': async ({ search, offset, limit }, ctx) => {
    requireCapability(ctx.backend, 'tenants.names')
    const { value, ...from } = await readFrom(ctx.backend, 'auto', {
      server: (db) => listTenantNames(db, search, { offset, limit }),
      cache: (cache) => listCachedNames(cache, search, { offset, limit })
    })
    return { ...value, ...from }
  },
  'tenants.cached': async ({ tenantId }, ctx) => {
    requireCapability(ctx.backend, 'tenants.open')
    const cache = ctx.backend.offlineCache.reader()
    if (!cache) throw new RpcError('NOT_FOUND', 'This connection has no offline cache yet: sync it while online first.')
    return { tenant: cachedTenant(cache, tenantId), source: 'cache' as const, syncedAt: lastSyncedAt(cache) }
  },
  'tenants.facets': async (_input, ctx) => directoryFacets(gated(ctx, 'tenants.directory')),
  'tenants.export': async (input, ctx) => exportDirectoryCsv(gated(ctx, 'tenants.directory'), ctx.backend.exports, input, ctx.emit),
  'tenants.search': async ({ query, limit }, ctx) => searchTenants(gated(ctx, 'tenants.directory'), query, limit),
  'tenants.lookup': async ({ term }, ctx) => lookupTenant(gated(ctx, 'tenants.requestAccess'), term),
  'tenants.requestAccess': async (input, ctx) => requestBreakGlass(gated(ctx, 'tenants.requestAccess'), input),
  'tenants.get': async ({ tenantId }, ctx) => tenantDetail(gated(ctx, 'tenants.open'), tenantId),
  'tenants.updateProfile': async ({ tenantId, profile }, ctx) => updateProfile(gated(ctx, 'tenants.editProfile'), tenantId, profile),
  'tenants.setStatus': async ({ tenantId, status, reason }, ctx) => setStatus(gated(ctx, 'tenants.changeStatus'), tenantId, status, reason),
  'tenants.updateLimits': async ({ tenantId, limits }, ctx) => updateLimits(gated(ctx, 'tenants.editLimits'), tenantId, limits),
  'tenants.addDomain': async ({ tenantId, domain }, ctx) => addDomain(gated(ctx, 'tenants.manageDomains'), tenantId, domain),
  'tenants.removeDomain': async ({ tenantId, domainId }, ctx) => removeDomain(gated(ctx, 'tenants.manageDomains'), tenantId, domainId),
  'tenants.sessions': async ({ tenantId, offset, limit }, ctx) => listSessions(gated(ctx, 'tenants.open'), tenantId, { offset, limit }),
  'tenants.transcript': async ({ tenantId, sessionId }, ctx) => transcript(gated(ctx, 'tenants.open'), tenantId, sessionId),
  'tenants.searchConversations': async ({ tenantId, query, limit }, ctx) => searchConversations(gated(ctx, 'tenants.open'), tenantId, query, limit),
  'tenants.timeline': async ({ tenantId, ...options }, ctx) => tenantTimeline(gated(ctx, 'tenants.open'), tenantId, options)
}
