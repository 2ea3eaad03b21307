import { z } from 'zod'
import { searchTextSchema, type Sourced } from '../list'
import { reviewProcedure } from '../review-procedures'

const uuid = z.uuid()
const isoTime = z.iso.datetime({ offset: true })

export const executionStatusSchema = z.enum(['new', 'running', 'waiting', 'success', 'error', 'canceled', 'crashed'])

const timeRange = {
  /** Inclusive. */
  from: isoTime.optional(),
  /** Exclusive. */
  to: isoTime.optional()
}

export const executionFilterSchema = z
  .strictObject({
    tenantId: uuid.optional(),
    workflowId: uuid.optional(),
    status: executionStatusSchema.optional(),
    ...timeRange,
    errorText: searchTextSchema.optional(),
    /** Online only: archived executions too (the offline cache never holds them). */
    includeArchived: z.boolean().optional()
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) < Date.parse(f.to), { message: '"from" must be before "to"', path: ['to'] })
export type ExecutionFilterInput = z.infer<typeof executionFilterSchema>

export interface ExecutionRow {
  id: string
  tenantId: string
  workflowId: string
  workflowName: string | null
  status: string
  errorMessage: string | null
  executionTimeMs: number | null
  startedAt: string
  finishedAt: string | null
  /** Moved to executions_archive by the archival job. */
  archived: boolean
}

export interface ExecutionStep {
  id: string
  stepIndex: number
  stepName: string
  status: string
  startedAt: string | null
  completedAt: string | null
  input: unknown
  output: unknown
  errorMessage: string | null
}

export interface ExecutionDetail extends ExecutionRow {
  triggeredByUserId: string | null
  n8nExecutionId: string | null
  input: unknown
  output: unknown
  error: unknown
  createdAt: string
  updatedAt: string
  steps: ExecutionStep[]
}

export interface WorkflowOption {
  id: string
  name: string | null
}

export const executionsProcedures = {
  'executions.list': reviewProcedure.list(executionFilterSchema.default({})).returns<ExecutionRow>(),
  'executions.get': reviewProcedure.record<Sourced & { execution: ExecutionDetail }>(),
  /** The workflows a tenant's executions ran, for the workflow filter. */
  'executions.workflows': reviewProcedure.ofTenant<Sourced & { workflows: WorkflowOption[] }>()
} as const
