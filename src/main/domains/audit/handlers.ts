import type { AreaHandlers } from '../../rpc/types'
import { getAuditLog, listAuditLogs } from '../../cache/queries'
import { inTenant, keysetListHandler, readAs, readFrom } from '../sync/source'
import { checkCachedChainLinks } from './cache-queries'
import { exportAuditCsv, readExportChunk } from './export'
import { getServerAudit, listServerAudit, verifyServerChain } from './server-queries'

export const auditHandlers: AreaHandlers<'audit'> = {
  'audit.list': keysetListHandler({ server: listServerAudit, cache: listAuditLogs }),
  'audit.get': async ({ tenantId, id, source }, { backend }) =>
    readAs('entry', backend, source, { server: (db) => getServerAudit(db, tenantId, id), cache: (cache) => inTenant(getAuditLog(cache, id), tenantId) }),
  'audit.verifyChain': async ({ tenantId, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, { server: (db) => verifyServerChain(db, tenantId), cache: (cache) => checkCachedChainLinks(cache, tenantId) })
    return { ...value, ...from }
  },
  'audit.export': async (input, { backend, emit }) => exportAuditCsv(backend, input, emit),
  'audit.exportChunk': async ({ exportId, offset }, { backend }) => readExportChunk(backend, exportId, offset)
}
