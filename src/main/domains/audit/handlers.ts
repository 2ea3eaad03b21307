import { gateHandlers } from '../../rpc/gate'
import type { AreaHandlers } from '../../rpc/types'
import { inTenant, keysetListHandler, readAs, readFrom } from '../../reads/source'
import { checkCachedChainLinks, getAuditLog, listAuditLogs } from './cache-queries'
import { exportAuditCsv } from './export'
import { getServerAudit, listServerAudit, verifyServerChain } from './server-queries'

/** Refused early, while online, to the groups that may not open the area (src/shared/capabilities.ts). */
export const auditHandlers: AreaHandlers<'audit'> = gateHandlers('area.audit', {
  'audit.list': keysetListHandler({ server: listServerAudit, cache: listAuditLogs }),
  'audit.get': async ({ tenantId, id, source }, { backend }) =>
    readAs('entry', backend, source, { server: (db) => getServerAudit(db, tenantId, id), cache: (cache) => inTenant(getAuditLog(cache, id), tenantId) }),
  'audit.verifyChain': async ({ tenantId, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, { server: (db) => verifyServerChain(db, tenantId), cache: (cache) => checkCachedChainLinks(cache, tenantId) })
    return { ...value, ...from }
  },
  'audit.export': async (input, { backend, emit }) => exportAuditCsv(backend, input, emit)
})
