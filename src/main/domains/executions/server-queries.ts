import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type { ExecutionDetail, ExecutionFilterInput, WorkflowOption } from '../../../shared/rpc/areas/executions'
import type { Database } from '../../db/types'
import { acrossTenants, newestFirstPage } from '../../reads/across-tenants'
import type { ServerCursor } from '../../reads/keyset'
import { isoMicros, isoMillis, olderThan, SqlWhere, toTsQuery } from '../../reads/sql'
import { toExecutionDetail, toExecutionRow, type ExecutionDetailRecord, type ExecutionRecord, type StepRecord } from './rows'

/** The executions screen from PostgreSQL, always inside withTenant, so row-level security decides. */

const ROW_COLUMNS = `e.id::text as id, e.tenant_id::text as tenant_id, e.workflow_id::text as workflow_id,
  e.workflow_name, e.status, e.error_message, e.execution_time_ms,
  ${isoMillis('e.started_at')} as started_at, ${isoMillis('e.finished_at')} as finished_at`

export async function listServerExecutions(db: Database, filter: ExecutionFilterInput, limit: number, cursor: ServerCursor | null) {
  const pages = await acrossTenants(db, filter.tenantId, async (client, tenantId) => {
    const where = new SqlWhere().eq('e.tenant_id', tenantId).eq('e.workflow_id', filter.workflowId).eq('e.status', filter.status)
    where.timeRange('e.started_at', filter)
    if (filter.errorText !== undefined) {
      const tsQuery = toTsQuery(filter.errorText)
      where.add(tsQuery === null ? 'false' : `to_tsvector('simple', coalesce(e.error_message, '')) @@ to_tsquery('simple', ${where.param(tsQuery)})`)
    }
    olderThan(where, 'e.started_at', 'e.id', cursor)
    const limitParam = where.param(limit)
    // The archive has the same columns and the same row-level security; each side is keyset-read
    // on its own index, and the newest `limit` of both make the page.
    const branch = (table: string, archived: boolean) =>
      `(select ${ROW_COLUMNS}, ${archived} as archived, ${isoMicros('e.started_at')} as "cursorAt" from ${table} e ${where.sql()}
        order by e.started_at desc, e.id desc limit ${limitParam})`
    const sql = filter.includeArchived
      ? `select * from (${branch('executions', false)} union all ${branch('executions_archive', true)}) b order by b."cursorAt" desc, b.id desc limit ${limitParam}`
      : branch('executions', false)
    const { rows } = await client.query<ExecutionRecord & { cursorAt: string }>(sql, where.params)
    return rows.map((row) => ({ ...toExecutionRow(row), cursorAt: row.cursorAt }))
  })
  return newestFirstPage(pages, limit)
}

export async function getServerExecution(db: Database, tenantId: string, id: string): Promise<ExecutionDetail> {
  return db.withTenant(tenantId, async (client) => {
    const detail = (table: string, archived: boolean) =>
      client.query<ExecutionDetailRecord>(
        `select ${ROW_COLUMNS}, ${archived} as archived, e.triggered_by_user_id::text as triggered_by_user_id, e.n8n_execution_id,
                e.input_data, e.output_data, e.error_data,
                ${isoMillis('e.created_at')} as created_at, ${isoMillis('e.updated_at')} as updated_at
         from ${table} e where e.id = $1`,
        [id]
      )
    const live = (await detail('executions', false)).rows[0]
    if (live) return toExecutionDetail(live, await stepsOf(client, id))
    // Archived executions stay readable online, with the steps the archive keeps as JSON.
    const archived = (await detail('executions_archive', true)).rows[0]
    if (!archived) throw new RpcError('NOT_FOUND', 'No such execution in this tenant (or you may not see it).')
    return toExecutionDetail(archived, await archivedStepsOf(client, id))
  })
}

async function archivedStepsOf(client: PoolClient, executionId: string): Promise<StepRecord[]> {
  const { rows } = await client.query<StepRecord>(
    `select s ->> 'id' as id, (s ->> 'step_index')::int as step_index, s ->> 'step_name' as step_name, s ->> 'status' as status,
            ${isoMillis("(s ->> 'started_at')::timestamptz")} as started_at, ${isoMillis("(s ->> 'completed_at')::timestamptz")} as completed_at,
            s -> 'input_data' as input_data, s -> 'output_data' as output_data, s ->> 'error_message' as error_message
     from executions_archive a cross join lateral jsonb_array_elements(a.steps) s
     where a.id = $1 order by (s ->> 'step_index')::int`,
    [executionId]
  )
  return rows
}

async function stepsOf(client: PoolClient, executionId: string): Promise<StepRecord[]> {
  const { rows } = await client.query<StepRecord>(
    `select s.id::text as id, s.step_index, s.step_name, s.status,
            ${isoMillis('s.started_at')} as started_at, ${isoMillis('s.completed_at')} as completed_at,
            s.input_data, s.output_data, s.error_message
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
