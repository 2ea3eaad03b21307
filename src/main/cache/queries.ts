import type { CacheDb } from './db'
import { RpcError } from '../../shared/rpc/errors'
import type { AuditDetail, AuditFilterInput as AuditFilter, AuditRow } from '../../shared/rpc/areas/audit'
import type { ExecutionDetail, ExecutionFilterInput as ExecutionFilter, ExecutionRow } from '../../shared/rpc/areas/executions'

/**
 * What the executions and audit-log screens read while offline, from a read-only connection.
 * Lists are newest first with keyset pagination: the cursor is the last row's (time, rid), so page
 * 1000 costs what page 1 costs. Every filter has an index led by its column and ending in time.
 */

export interface Page<T> {
  rows: T[]
  /** Pass back to get the next page; null on the last one. */
  nextCursor: string | null
}

/**
 * Up to this many matches a search sorts them all by time (a few milliseconds); above, matches are
 * dense enough that walking the time index newest first meets a page of them quickly.
 */
const FEW_MATCHES = 20_000

export function listExecutions(db: CacheDb, filter: ExecutionFilter, limit: number, cursor: string | null = null): Page<ExecutionRow> {
  const where = new Where()
  where.eq('e.tenant_id', filter.tenantId).eq('e.workflow_id', filter.workflowId).eq('e.status', filter.status)
  where.timeRange('e.started_at', filter)
  if (filter.errorText) where.fullText(db, 'execution_errors_fts', 'e.rid', filter.errorText, 'page')
  where.before('e.started_at', 'e.rid', cursor)
  const rows = db
    .prepare(
      `SELECT e.rid, e.id, e.tenant_id, e.workflow_id, e.workflow_name, e.status, e.error_message, e.execution_time_ms, e.started_at, e.finished_at
       FROM executions e ${where.sql()} ORDER BY e.started_at DESC, e.rid DESC LIMIT ?`
    )
    .all(...where.params, limit) as RawExecution[]
  return pageOf(rows, limit, (r) => r.started_at, toExecutionRow)
}

export function countExecutions(db: CacheDb, filter: ExecutionFilter): number {
  const where = new Where()
  where.eq('e.tenant_id', filter.tenantId).eq('e.workflow_id', filter.workflowId).eq('e.status', filter.status)
  where.timeRange('e.started_at', filter)
  if (filter.errorText) where.fullText(db, 'execution_errors_fts', 'e.rid', filter.errorText, 'count')
  return db.prepare(`SELECT count(*) FROM executions e ${where.sql()}`).pluck().get(...where.params) as number
}

export function getExecution(db: CacheDb, id: string): ExecutionDetail {
  const row = db.prepare('SELECT * FROM executions WHERE id = ?').get(id) as (RawExecution & RawExecutionExtra) | undefined
  if (!row) throw new RpcError('NOT_FOUND', 'This execution is not in the offline cache.')
  const steps = db.prepare('SELECT * FROM execution_steps WHERE execution_id = ? ORDER BY step_index').all(id) as RawStep[]
  return {
    ...toExecutionRow(row),
    triggeredByUserId: row.triggered_by_user_id,
    n8nExecutionId: row.n8n_execution_id,
    input: parseJson(row.input_data),
    output: parseJson(row.output_data),
    error: parseJson(row.error_data),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    steps: steps.map((s) => ({
      id: s.id,
      stepIndex: s.step_index,
      stepName: s.step_name,
      status: s.status,
      startedAt: isoOrNull(s.started_at),
      completedAt: isoOrNull(s.completed_at),
      input: parseJson(s.input_data),
      output: parseJson(s.output_data),
      errorMessage: s.error_message
    }))
  }
}

export function listAuditLogs(db: CacheDb, filter: AuditFilter, limit: number, cursor: string | null = null): Page<AuditRow> {
  const where = auditWhere(db, filter, 'page')
  where.before('a.created_at', 'a.rid', cursor)
  const rows = db
    .prepare(
      `SELECT a.rid, a.id, a.tenant_id, a.actor, a.action, a.resource_type, a.resource_id, a.created_at
       FROM audit_logs a ${where.sql()} ORDER BY a.created_at DESC, a.rid DESC LIMIT ?`
    )
    .all(...where.params, limit) as RawAudit[]
  return pageOf(rows, limit, (r) => r.created_at, toAuditRow)
}

export function countAuditLogs(db: CacheDb, filter: AuditFilter): number {
  const where = auditWhere(db, filter, 'count')
  return db.prepare(`SELECT count(*) FROM audit_logs a ${where.sql()}`).pluck().get(...where.params) as number
}

export function getAuditLog(db: CacheDb, id: string): AuditDetail {
  const row = db.prepare('SELECT * FROM audit_logs WHERE id = ?').get(id) as (RawAudit & RawAuditExtra) | undefined
  if (!row) throw new RpcError('NOT_FOUND', 'This audit entry is not in the offline cache.')
  return {
    ...toAuditRow(row),
    oldValues: parseJson(row.old_values),
    newValues: parseJson(row.new_values),
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    seq: row.seq,
    chainPosition: row.chain_position,
    prevHash: row.prev_hash,
    hash: row.hash
  }
}

/** When the cache was last completed, or null if it never was. */
export function lastSyncedAt(db: CacheDb): string | null {
  const value = db.prepare("SELECT value FROM sync_meta WHERE key = 'last_sync_at'").pluck().get() as string | undefined
  return value === undefined ? null : iso(Number(value))
}

function auditWhere(db: CacheDb, filter: AuditFilter, purpose: 'page' | 'count'): Where {
  const where = new Where()
  where.eq('a.tenant_id', filter.tenantId).eq('a.actor', filter.actor).eq('a.action', filter.action).eq('a.resource_type', filter.resourceType)
  where.timeRange('a.created_at', filter)
  if (filter.text) where.fullText(db, 'audit_fts', 'a.rid', filter.text, purpose)
  return where
}

/**
 * Free text becomes an FTS5 query of quoted words (every word must occur), so no user input is
 * read as FTS syntax. A word ending in * matches as a prefix: asked for explicitly, because a
 * prefix merges many terms and makes the newest-first walk below far slower.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+\*?/gu)
  if (!words) return null
  return words.map((w) => (w.endsWith('*') ? `"${w.slice(0, -1)}"*` : `"${w}"`)).join(' ')
}

class Where {
  private readonly clauses: string[] = []
  readonly params: unknown[] = []

  eq(column: string, value: string | undefined): this {
    if (value !== undefined) {
      this.clauses.push(`${column} = ?`)
      this.params.push(value)
    }
    return this
  }

  /** ISO timestamps, inclusive from, exclusive to. */
  timeRange(column: string, range: { from?: string; to?: string }): void {
    if (range.from !== undefined) {
      this.clauses.push(`${column} >= ?`)
      this.params.push(millis(range.from))
    }
    if (range.to !== undefined) {
      this.clauses.push(`${column} < ?`)
      this.params.push(millis(range.to))
    }
  }

  /**
   * A rare term is looked up in the index and its few rows sorted by time; a common one would
   * make that sort huge, so the time index is walked instead and each row is checked against the
   * full-text index by rowid until the page is full.
   */
  fullText(db: CacheDb, fts: string, rowid: string, text: string, purpose: 'page' | 'count'): void {
    const query = toFtsQuery(text)
    if (query === null) {
      this.clauses.push('0')
      return
    }
    if (purpose === 'count') {
      // Counting needs every match anyway: one pass over the index, no per-row probes.
      this.clauses.push(`${rowid} IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?)`)
      this.params.push(query)
      return
    }
    const matches = db.prepare(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? LIMIT ?`).pluck().all(query, FEW_MATCHES + 1) as number[]
    if (matches.length <= FEW_MATCHES) {
      this.clauses.push(`${rowid} IN (SELECT value FROM json_each(?))`)
      this.params.push(JSON.stringify(matches))
    } else {
      this.clauses.push(`EXISTS (SELECT 1 FROM ${fts} f WHERE f.${fts} MATCH ? AND f.rowid = ${rowid})`)
      this.params.push(query)
    }
  }

  before(timeColumn: string, ridColumn: string, cursor: string | null): void {
    if (cursor === null) return
    const [time, rid] = decodeCursor(cursor)
    this.clauses.push(`(${timeColumn} < ? OR (${timeColumn} = ? AND ${ridColumn} < ?))`)
    this.params.push(time, time, rid)
  }

  sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : ''
  }
}

function pageOf<R extends { rid: number }, T>(rows: R[], limit: number, time: (r: R) => number, map: (r: R) => T): Page<T> {
  const last = rows[rows.length - 1]
  return { rows: rows.map(map), nextCursor: rows.length === limit && last ? `${time(last)}.${last.rid}` : null }
}

function decodeCursor(cursor: string): [number, number] {
  const match = /^(-?\d+)\.(\d+)$/.exec(cursor)
  if (!match) throw new RpcError('BAD_INPUT', 'The page cursor is not one this list returned.')
  return [Number(match[1]), Number(match[2])]
}

function millis(isoTime: string): number {
  const ms = Date.parse(isoTime)
  if (Number.isNaN(ms)) throw new RpcError('BAD_INPUT', `Not a valid time: ${isoTime}`)
  return ms
}

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))
const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text))

interface RawExecution {
  rid: number
  id: string
  tenant_id: string
  workflow_id: string
  workflow_name: string | null
  status: string
  error_message: string | null
  execution_time_ms: number | null
  started_at: number
  finished_at: number | null
}
interface RawExecutionExtra {
  triggered_by_user_id: string | null
  n8n_execution_id: string | null
  input_data: string | null
  output_data: string | null
  error_data: string | null
  created_at: number
  updated_at: number
}
interface RawStep {
  id: string
  step_index: number
  step_name: string
  status: string
  started_at: number | null
  completed_at: number | null
  input_data: string | null
  output_data: string | null
  error_message: string | null
}
interface RawAudit {
  rid: number
  id: string
  tenant_id: string
  actor: string
  action: string
  resource_type: string
  resource_id: string | null
  created_at: number
}
interface RawAuditExtra {
  old_values: string | null
  new_values: string | null
  ip_address: string | null
  user_agent: string | null
  seq: number
  chain_position: number | null
  prev_hash: string | null
  hash: string | null
}

function toExecutionRow(r: RawExecution): ExecutionRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    status: r.status,
    errorMessage: r.error_message,
    executionTimeMs: r.execution_time_ms,
    startedAt: iso(r.started_at),
    finishedAt: isoOrNull(r.finished_at)
  }
}

function toAuditRow(r: RawAudit): AuditRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    actor: r.actor,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    createdAt: iso(r.created_at)
  }
}
