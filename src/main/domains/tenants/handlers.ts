import type { AreaHandlers } from '../../rpc/types'
import { requireDatabase } from './access'
import { addDomain, removeDomain, setStatus, updateLimits, updateProfile } from './changes'
import { tenantDetail } from './detail'
import { directoryFacets, exportDirectoryCsv, listDirectory, lookupTenant, requestBreakGlass, searchTenants } from './directory'
import { listSessions, searchConversations, transcript } from './support'
import { tenantTimeline } from './timeline'

export const tenantsHandlers: AreaHandlers<'tenants'> = {
  'tenants.list': async ({ offset, limit, ...filter }, ctx) => listDirectory(requireDatabase(ctx), filter, { offset, limit }),
  'tenants.facets': async (_input, ctx) => directoryFacets(requireDatabase(ctx)),
  'tenants.export': async (input, ctx) => exportDirectoryCsv(requireDatabase(ctx), ctx.backend.exports, input, ctx.emit),
  'tenants.search': async ({ query, limit }, ctx) => searchTenants(requireDatabase(ctx), query, limit),
  'tenants.lookup': async ({ term }, ctx) => lookupTenant(requireDatabase(ctx), term),
  'tenants.requestAccess': async (input, ctx) => requestBreakGlass(requireDatabase(ctx), input),
  'tenants.get': async ({ tenantId }, ctx) => tenantDetail(requireDatabase(ctx), tenantId),
  'tenants.updateProfile': async ({ tenantId, profile }, ctx) => updateProfile(requireDatabase(ctx), tenantId, profile),
  'tenants.setStatus': async ({ tenantId, status, reason }, ctx) => setStatus(requireDatabase(ctx), tenantId, status, reason),
  'tenants.updateLimits': async ({ tenantId, limits }, ctx) => updateLimits(requireDatabase(ctx), tenantId, limits),
  'tenants.addDomain': async ({ tenantId, domain }, ctx) => addDomain(requireDatabase(ctx), tenantId, domain),
  'tenants.removeDomain': async ({ tenantId, domainId }, ctx) => removeDomain(requireDatabase(ctx), tenantId, domainId),
  'tenants.sessions': async ({ tenantId, offset, limit }, ctx) => listSessions(requireDatabase(ctx), tenantId, { offset, limit }),
  'tenants.transcript': async ({ tenantId, sessionId }, ctx) => transcript(requireDatabase(ctx), tenantId, sessionId),
  'tenants.searchConversations': async ({ tenantId, query, limit }, ctx) => searchConversations(requireDatabase(ctx), tenantId, query, limit),
  'tenants.timeline': async ({ tenantId, ...options }, ctx) => tenantTimeline(requireDatabase(ctx), tenantId, options)
}
