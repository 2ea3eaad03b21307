import { gateHandlers } from '../../rpc/gate'
import type { AreaHandlers } from '../../rpc/types'
import { decodeCacheCursor, decodeServerCursor, encodeCacheCursor } from '../../reads/keyset'
import { inTenant, readFrom } from '../../reads/source'
import { getExecution, listCachedWorkflows, listExecutions } from './cache-queries'
import { getServerExecution, listServerExecutions, listServerWorkflows } from './server-queries'

/** Refused early, while online, to the groups that may not open the area (src/shared/capabilities.ts). */
export const executionsHandlers: AreaHandlers<'executions'> = gateHandlers('area.executions', {
  'executions.list': async ({ filter, cursor, limit, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, {
      server: (db) => listServerExecutions(db, filter, limit, decodeServerCursor(cursor)),
      cache: (cache) => {
        const page = listExecutions(cache, filter, limit, decodeCacheCursor(cursor))
        return { rows: page.rows, nextCursor: encodeCacheCursor(page.nextCursor) }
      }
    })
    return { ...value, ...from }
  },
  'executions.get': async ({ tenantId, id, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, {
      server: (db) => getServerExecution(db, tenantId, id),
      cache: (cache) => inTenant(getExecution(cache, id), tenantId)
    })
    return { execution: value, ...from }
  },
  'executions.workflows': async ({ tenantId, source }, { backend }) => {
    const { value, ...from } = await readFrom(backend, source, {
      server: (db) => listServerWorkflows(db, tenantId),
      cache: (cache) => listCachedWorkflows(cache, tenantId)
    })
    return { workflows: value, ...from }
  }
})
