import type { ExecutionDetail, ExecutionRow, ExecutionStep } from '../../../shared/rpc/areas/executions'
import { isoInstant, isoInstantOrNull, type Instant } from '../../reads/instant'

/**
 * An execution as both sources read it (snake_case columns, JSON already parsed), and the one
 * mapping to what the screens get: the server's and the cache's answers cannot drift apart.
 */
export interface ExecutionRecord {
  id: string
  tenant_id: string
  workflow_id: string
  workflow_name: string | null
  status: string
  error_message: string | null
  execution_time_ms: number | null
  started_at: Instant
  finished_at: Instant | null
  /** Server reads only; the cache never holds archived executions. */
  archived?: boolean
}

export interface ExecutionDetailRecord extends ExecutionRecord {
  triggered_by_user_id: string | null
  n8n_execution_id: string | null
  input_data: unknown
  output_data: unknown
  error_data: unknown
  created_at: Instant
  updated_at: Instant
}

export interface StepRecord {
  id: string
  step_index: number
  step_name: string
  status: string
  started_at: Instant | null
  completed_at: Instant | null
  input_data: unknown
  output_data: unknown
  error_message: string | null
}

export function toExecutionRow(r: ExecutionRecord): ExecutionRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    status: r.status,
    errorMessage: r.error_message,
    executionTimeMs: r.execution_time_ms,
    startedAt: isoInstant(r.started_at),
    finishedAt: isoInstantOrNull(r.finished_at),
    archived: r.archived ?? false
  }
}

export function toExecutionDetail(r: ExecutionDetailRecord, steps: StepRecord[]): ExecutionDetail {
  return {
    ...toExecutionRow(r),
    triggeredByUserId: r.triggered_by_user_id,
    n8nExecutionId: r.n8n_execution_id,
    input: r.input_data,
    output: r.output_data,
    error: r.error_data,
    createdAt: isoInstant(r.created_at),
    updatedAt: isoInstant(r.updated_at),
    steps: steps.map(toExecutionStep)
  }
}

export function toExecutionStep(s: StepRecord): ExecutionStep {
  return {
    id: s.id,
    stepIndex: s.step_index,
    stepName: s.step_name,
    status: s.status,
    startedAt: isoInstantOrNull(s.started_at),
    completedAt: isoInstantOrNull(s.completed_at),
    input: s.input_data,
    output: s.output_data,
    errorMessage: s.error_message
  }
}
