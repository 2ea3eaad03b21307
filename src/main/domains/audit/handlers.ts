import { gateHandlers } from '../../rpc/gate'
import type { AreaHandlers } from '../../rpc/types'
import { decodeCacheCursor, decodeServerCursor, encodeCacheCursor } from '../../reads/keyset'
import { inTenant, readFrom } from '../../reads/source'
import { checkCachedChainLinks, getAuditLog, listAuditLogs } from './cache-queries'
import { exportAuditCsv } from './export'
import { getServerAudit, listServerAudit, verifyServerChain } from './server-queries'

/** Refused early, while online, to the groups that may not open the area (src/shared/capabilities.ts). */
export const auditHandlers: AreaHandlers<'audit'> = gateHandlers('area.audit', {
  'audit.list': async ({ filter, cursor, limit, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, {
      server: (db) => listServerAudit(db, filter, limit, decodeServerCursor(cursor)),
      cache: (cache) => {
        const page = listAuditLogs(cache, filter, limit, decodeCacheCursor(cursor))
        return { rows: page.rows, nextCursor: encodeCacheCursor(page.nextCursor) }
      }
    })
    return { ...value, ...from }
  },
  'audit.get': async ({ tenantId, id, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, {
      server: (db) => getServerAudit(db, tenantId, id),
      cache: (cache) => inTenant(getAuditLog(cache, id), tenantId)
    })
    return { entry: value, ...from }
  },
  'audit.verifyChain': async ({ tenantId, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, {
      server: (db) => verifyServerChain(db, tenantId),
      cache: (cache) => checkCachedChainLinks(cache, tenantId)
    })
    return { ...value, ...from }
  },
  'audit.export': async (input, { backend, emit }) => exportAuditCsv(backend, input, emit)
})
