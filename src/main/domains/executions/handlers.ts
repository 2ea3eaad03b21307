import { gateHandlers } from '../../rpc/gate'
import type { AreaHandlers } from '../../rpc/types'
import { inTenant, keysetListHandler, readAs } from '../../reads/source'
import { getExecution, listCachedWorkflows, listExecutions } from './cache-queries'
import { getServerExecution, listServerExecutions, listServerWorkflows } from './server-queries'

/** Refused early, while online, to the groups that may not open the area (src/shared/capabilities.ts). */
export const executionsHandlers: AreaHandlers<'executions'> = gateHandlers('area.executions', {
  'executions.list': keysetListHandler({ server: listServerExecutions, cache: listExecutions }),
  'executions.get': async ({ tenantId, id, source }, { backend }) =>
    readAs('execution', backend, source, { server: (db) => getServerExecution(db, tenantId, id), cache: (cache) => inTenant(getExecution(cache, id), tenantId) }),
  'executions.workflows': async ({ tenantId, source }, { backend }) =>
    readAs('workflows', backend, source, { server: (db) => listServerWorkflows(db, tenantId), cache: (cache) => listCachedWorkflows(cache, tenantId) })
})
