import type { ExecutionDetail, ExecutionFilterInput, ExecutionRow, WorkflowOption } from '../../../shared/rpc/areas/executions'
import { RpcError } from '../../../shared/rpc/errors'
import type { CacheDb } from '../../cache/db'
import { CacheWhere, pageOf, parseCachedJson, type Page } from '../../reads/cache-sql'
import { toExecutionDetail, toExecutionRow, type ExecutionDetailRecord, type ExecutionRecord, type StepRecord } from './rows'

/** What the executions screen reads while offline, from the cache's read-only connection. */

interface CachedExecution extends ExecutionRecord {
  rid: number
  started_at: number
}
type CachedJson<R, K extends keyof R> = Omit<R, K> & { [P in K]: string | null }

export function listExecutions(db: CacheDb, filter: ExecutionFilterInput, limit: number, cursor: string | null = null): Page<ExecutionRow> {
  const where = executionWhere(db, filter, 'page')
  where.before('e.started_at', 'e.rid', cursor)
  const rows = db
    .prepare(
      `SELECT e.rid, e.id, e.tenant_id, e.workflow_id, e.workflow_name, e.status, e.error_message, e.execution_time_ms, e.started_at, e.finished_at
       FROM executions e ${where.sql()} ORDER BY e.started_at DESC, e.rid DESC LIMIT ?`
    )
    .all(...where.params, limit) as CachedExecution[]
  return pageOf(rows, limit, (r) => r.started_at, toExecutionRow)
}

export function countExecutions(db: CacheDb, filter: ExecutionFilterInput): number {
  const where = executionWhere(db, filter, 'count')
  return db.prepare(`SELECT count(*) FROM executions e ${where.sql()}`).pluck().get(...where.params) as number
}

export function getExecution(db: CacheDb, id: string): ExecutionDetail {
  const row = db.prepare('SELECT * FROM executions WHERE id = ?').get(id) as CachedJson<ExecutionDetailRecord, 'input_data' | 'output_data' | 'error_data'> | undefined
  if (!row) throw new RpcError('NOT_FOUND', 'This execution is not in the offline cache.')
  const steps = db.prepare('SELECT * FROM execution_steps WHERE execution_id = ? ORDER BY step_index').all(id) as CachedJson<StepRecord, 'input_data' | 'output_data'>[]
  return toExecutionDetail(
    { ...row, input_data: parseCachedJson(row.input_data), output_data: parseCachedJson(row.output_data), error_data: parseCachedJson(row.error_data) },
    steps.map((s) => ({ ...s, input_data: parseCachedJson(s.input_data), output_data: parseCachedJson(s.output_data) }))
  )
}

/** The workflows a tenant's cached executions ran (the cache keeps no workflow table). */
export function listCachedWorkflows(cache: CacheDb, tenantId: string): WorkflowOption[] {
  return cache
    .prepare(
      `SELECT workflow_id AS id, max(workflow_name) AS name FROM executions WHERE tenant_id = ?
       GROUP BY workflow_id ORDER BY name, id`
    )
    .all(tenantId) as WorkflowOption[]
}

function executionWhere(db: CacheDb, filter: ExecutionFilterInput, purpose: 'page' | 'count'): CacheWhere {
  const where = new CacheWhere()
  where.eq('e.tenant_id', filter.tenantId).eq('e.workflow_id', filter.workflowId).eq('e.status', filter.status)
  where.timeRange('e.started_at', filter)
  if (filter.errorText) where.fullText(db, 'execution_errors_fts', 'e.rid', filter.errorText, purpose)
  return where
}
