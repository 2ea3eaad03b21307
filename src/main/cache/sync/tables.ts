/**
 * What is pulled from each server table into the cache table of the same name. Each cache column
 * is filled from a server expression that already yields what SQLite stores (text, a number or
 * null), so applying a page is a plain bind with no per-value conversion in JavaScript.
 */
export const SYNCED_TABLES = ['executions', 'execution_steps', 'audit_logs', 'usage_records', 'conversations'] as const
export type SyncedTable = (typeof SYNCED_TABLES)[number]

export interface ColumnMapping {
  cache: string
  server: string
}

export interface SyncedTableSpec {
  table: SyncedTable
  /** Server column the window and purge horizons are measured on; cached as `cacheTimeColumn`. */
  timeColumn: string
  cacheTimeColumn: string
  columns: readonly ColumnMapping[]
}

const text = (column: string): ColumnMapping => ({ cache: column, server: `t.${column}::text` })
const plain = (column: string): ColumnMapping => ({ cache: column, server: `t.${column}` })
/** Epoch milliseconds as float8, which the driver returns as a JS number (int8 would be a string). */
const millis = (column: string, cache = column): ColumnMapping => ({
  cache,
  server: `floor(extract(epoch from t.${column}) * 1000)::float8`
})

/** The keyset columns come first in every page row: [sync_xid, id, ...columns]. */
export const KEYSET: readonly ColumnMapping[] = [text('sync_xid'), text('id')]

export const TABLE_SPECS: Record<SyncedTable, SyncedTableSpec> = {
  executions: {
    table: 'executions',
    timeColumn: 'started_at',
    cacheTimeColumn: 'started_at',
    columns: [
      text('tenant_id'),
      text('workflow_id'),
      plain('workflow_name'),
      text('triggered_by_user_id'),
      plain('n8n_execution_id'),
      plain('status'),
      text('input_data'),
      text('output_data'),
      text('error_data'),
      plain('error_message'),
      plain('execution_time_ms'),
      millis('started_at'),
      millis('finished_at'),
      millis('created_at'),
      millis('updated_at')
    ]
  },
  execution_steps: {
    table: 'execution_steps',
    // started_at is null for steps that never ran; created_at always exists.
    timeColumn: 'created_at',
    cacheTimeColumn: 'created_at',
    columns: [
      text('tenant_id'),
      text('execution_id'),
      plain('step_index'),
      plain('step_name'),
      plain('status'),
      millis('started_at'),
      millis('completed_at'),
      text('input_data'),
      text('output_data'),
      plain('error_message'),
      millis('created_at')
    ]
  },
  audit_logs: {
    table: 'audit_logs',
    timeColumn: 'created_at',
    cacheTimeColumn: 'created_at',
    columns: [
      plain('seq'),
      text('tenant_id'),
      plain('actor'),
      plain('action'),
      plain('resource_type'),
      text('resource_id'),
      text('old_values'),
      text('new_values'),
      text('ip_address'),
      plain('user_agent'),
      millis('created_at'),
      plain('chain_position'),
      plain('prev_hash'),
      plain('hash')
    ]
  },
  usage_records: {
    table: 'usage_records',
    timeColumn: 'recorded_at',
    cacheTimeColumn: 'recorded_at',
    columns: [
      text('tenant_id'),
      text('subscription_id'),
      plain('usage_type'),
      plain('quantity'),
      text('unit_price'),
      text('currency'),
      text('metadata'),
      millis('period_start'),
      millis('period_end'),
      millis('recorded_at')
    ]
  },
  // Support reads transcripts on the road; an erasure's tombstones remove them again (migration 016).
  conversations: {
    table: 'conversations',
    timeColumn: 'created_at',
    cacheTimeColumn: 'created_at',
    columns: [
      text('tenant_id'),
      text('session_id'),
      plain('user_id'),
      plain('message'),
      plain('response'),
      plain('agent_name'),
      plain('sentiment'),
      text('confidence_score'),
      millis('created_at')
    ]
  }
}

/** Cache column names of a page row, in page order. */
export function pageColumns(spec: SyncedTableSpec): string[] {
  return [...KEYSET, ...spec.columns].map((c) => c.cache)
}
