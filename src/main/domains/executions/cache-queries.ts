import type { CacheDb } from '../../cache/db'
import type { WorkflowOption } from '../../../shared/rpc/areas/executions'

/** The workflows a tenant's cached executions ran (the cache keeps no workflow table). */
export function listCachedWorkflows(cache: CacheDb, tenantId: string): WorkflowOption[] {
  return cache
    .prepare(
      `SELECT workflow_id AS id, max(workflow_name) AS name FROM executions WHERE tenant_id = ?
       GROUP BY workflow_id ORDER BY name, id`
    )
    .all(tenantId) as WorkflowOption[]
}
