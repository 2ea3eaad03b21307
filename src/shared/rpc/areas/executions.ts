import { z } from 'zod'
import { reviewProcedure } from '../review-procedures'

/**
 * Where a list or record came from: the live database, or the offline cache (as of its last sync).
 * 'auto' reads the server while online and the cache otherwise.
 */
export const dataSourceSchema = z.enum(['auto', 'server', 'cache'])
export type DataSourceChoice = z.infer<typeof dataSourceSchema>
export type DataSource = Exclude<DataSourceChoice, 'auto'>

const uuid = z.uuid()
const isoTime = z.iso.datetime({ offset: true })
/** Opaque keyset cursor handed out by a previous page of the same list and source. */
export const pageCursorSchema = z.string().min(1).max(200)

/** Free text for full-text search: words only matter, so an upper bound is enough. */
export const searchTextSchema = z.string().trim().min(1).max(200)

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
    errorText: searchTextSchema.optional()
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) < Date.parse(f.to), { message: '"from" must be before "to"', path: ['to'] })
export type ExecutionFilterInput = z.infer<typeof executionFilterSchema>

/** A choice of the workflow filter. */
export interface WorkflowOption {
  id: string
  name: string | null
}

export const listPageSchema = {
  cursor: pageCursorSchema.nullable().default(null),
  limit: z.number().int().min(1).max(500).default(100),
  source: dataSourceSchema.default('auto')
}

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

/** Every answer says where it came from, and for the cache as of when. */
export interface Sourced {
  source: DataSource
  /** The cache's last completed sync (ISO), for source 'cache'; null for the server. */
  syncedAt: string | null
}

export interface ListPage<T> extends Sourced {
  rows: T[]
  nextCursor: string | null
}

export const executionsProcedures = {
  'executions.list': reviewProcedure.list(executionFilterSchema.default({})).returns<ExecutionRow>(),
  'executions.get': reviewProcedure.record<Sourced & { execution: ExecutionDetail }>(),
  /** The workflows a tenant's executions ran, for the workflow filter. */
  'executions.workflows': reviewProcedure.ofTenant<Sourced & { workflows: WorkflowOption[] }>()
} as const
