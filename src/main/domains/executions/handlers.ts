import type { AreaHandlers } from '../../rpc/types'
import { getExecution, listExecutions } from '../../cache/queries'
import { inTenant, keysetListHandler, readAs } from '../sync/source'
import { listCachedWorkflows } from './cache-queries'
import { getServerExecution, listServerExecutions, listServerWorkflows } from './server-queries'

export const executionsHandlers: AreaHandlers<'executions'> = {
  'executions.list': keysetListHandler({ server: listServerExecutions, cache: listExecutions }),
  'executions.get': async ({ tenantId, id, source }, { backend }) =>
    readAs('execution', backend, source, { server: (db) => getServerExecution(db, tenantId, id), cache: (cache) => inTenant(getExecution(cache, id), tenantId) }),
  'executions.workflows': async ({ tenantId, source }, { backend }) =>
    readAs('workflows', backend, source, { server: (db) => listServerWorkflows(db, tenantId), cache: (cache) => listCachedWorkflows(cache, tenantId) })
}
