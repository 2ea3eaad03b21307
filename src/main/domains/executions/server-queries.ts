import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type { ExecutionDetail, ExecutionFilterInput, ExecutionRow, ExecutionStep, WorkflowOption } from '../../../shared/rpc/areas/executions'
import type { Database } from '../../db/types'
import { acrossTenants, newestFirstPage } from '../../reads/across-tenants'
import type { ServerCursor } from '../../reads/keyset'
import { isoMicros, isoMillis, olderThan, SqlWhere, toTsQuery } from '../../reads/sql'

/** The executions screen from PostgreSQL, always inside withTenant, so row-level security decides. */

const ROW_COLUMNS = `e.id::text as id, e.tenant_id::text as "tenantId", e.workflow_id::text as "workflowId",
  e.workflow_name as "workflowName", e.status, e.error_message as "errorMessage", e.execution_time_ms as "executionTimeMs",
  ${isoMillis('e.started_at')} as "startedAt", ${isoMillis('e.finished_at')} as "finishedAt"`

type Keyed<R> = R & { cursorAt: string }

export async function listServerExecutions(db: Database, filter: ExecutionFilterInput, limit: number, cursor: ServerCursor | null) {
  const pages = await acrossTenants(db, filter.tenantId, async (client, tenantId) => {
    const where = new SqlWhere().eq('e.tenant_id', tenantId).eq('e.workflow_id', filter.workflowId).eq('e.status', filter.status)
    where.timeRange('e.started_at', filter)
    if (filter.errorText !== undefined) {
      const tsQuery = toTsQuery(filter.errorText)
      where.add(tsQuery === null ? 'false' : `to_tsvector('simple', coalesce(e.error_message, '')) @@ to_tsquery('simple', ${where.param(tsQuery)})`)
    }
    olderThan(where, 'e.started_at', 'e.id', cursor)
    const { rows } = await client.query<Keyed<ExecutionRow>>(
      `select ${ROW_COLUMNS}, ${isoMicros('e.started_at')} as "cursorAt" from executions e ${where.sql()}
       order by e.started_at desc, e.id desc limit ${where.param(limit)}`,
      where.params
    )
    return rows
  })
  return newestFirstPage(pages, limit)
}

export async function getServerExecution(db: Database, tenantId: string, id: string): Promise<ExecutionDetail> {
  return db.withTenant(tenantId, async (client) => {
    const { rows } = await client.query<Omit<ExecutionDetail, 'steps'>>(
      `select ${ROW_COLUMNS}, e.triggered_by_user_id::text as "triggeredByUserId", e.n8n_execution_id as "n8nExecutionId",
              e.input_data as input, e.output_data as output, e.error_data as error,
              ${isoMillis('e.created_at')} as "createdAt", ${isoMillis('e.updated_at')} as "updatedAt"
       from executions e where e.id = $1`,
      [id]
    )
    const execution = rows[0]
    if (!execution) throw new RpcError('NOT_FOUND', 'No such execution in this tenant (or you may not see it).')
    return { ...execution, steps: await stepsOf(client, id) }
  })
}

async function stepsOf(client: PoolClient, executionId: string): Promise<ExecutionStep[]> {
  const { rows } = await client.query<ExecutionStep>(
    `select s.id::text as id, s.step_index as "stepIndex", s.step_name as "stepName", s.status,
            ${isoMillis('s.started_at')} as "startedAt", ${isoMillis('s.completed_at')} as "completedAt",
            s.input_data as input, s.output_data as output, s.error_message as "errorMessage"
     from execution_steps s where s.execution_id = $1 order by s.step_index`,
    [executionId]
  )
  return rows
}

export async function listServerWorkflows(db: Database, tenantId: string): Promise<WorkflowOption[]> {
  const { rows } = await db.withTenant(tenantId, (client) =>
    client.query<WorkflowOption>('select w.id::text as id, w.name from workflows w order by w.name, w.id')
  )
  return rows
}
