import type { AuditDetail, AuditFilterInput, AuditRow, ChainVerification } from '../../../shared/rpc/areas/audit'
import { RpcError } from '../../../shared/rpc/errors'
import type { CacheDb } from '../../cache/db'
import { CacheWhere, pageOf, parseCachedJson, type Page } from '../../reads/cache-sql'
import { toAuditDetail, toAuditRow, type AuditDetailRecord, type AuditRecord } from './rows'

/** What the audit-log screen and its export read while offline, from the cache's read-only connection. */

interface CachedAudit extends AuditRecord {
  rid: number
  created_at: number
}

export function listAuditLogs(db: CacheDb, filter: AuditFilterInput, limit: number, cursor: string | null = null): Page<AuditRow> {
  const where = auditWhere(db, filter, 'page')
  where.before('a.created_at', 'a.rid', cursor)
  const rows = db
    .prepare(
      `SELECT a.rid, a.id, a.tenant_id, a.actor, a.action, a.resource_type, a.resource_id, a.created_at
       FROM audit_logs a ${where.sql()} ORDER BY a.created_at DESC, a.rid DESC LIMIT ?`
    )
    .all(...where.params, limit) as CachedAudit[]
  return pageOf(rows, limit, (r) => r.created_at, toAuditRow)
}

export function countAuditLogs(db: CacheDb, filter: AuditFilterInput): number {
  const where = auditWhere(db, filter, 'count')
  return db.prepare(`SELECT count(*) FROM audit_logs a ${where.sql()}`).pluck().get(...where.params) as number
}

export function getAuditLog(db: CacheDb, id: string): AuditDetail {
  const row = db.prepare('SELECT * FROM audit_logs WHERE id = ?').get(id) as (Omit<AuditDetailRecord, 'old_values' | 'new_values'> & { old_values: string | null; new_values: string | null }) | undefined
  if (!row) throw new RpcError('NOT_FOUND', 'This audit entry is not in the offline cache.')
  return toAuditDetail({ ...row, old_values: parseCachedJson(row.old_values), new_values: parseCachedJson(row.new_values) })
}

function auditWhere(db: CacheDb, filter: AuditFilterInput, purpose: 'page' | 'count'): CacheWhere {
  const where = new CacheWhere()
  where.eq('a.tenant_id', filter.tenantId).eq('a.actor', filter.actor).eq('a.action', filter.action).eq('a.resource_type', filter.resourceType)
  where.timeRange('a.created_at', filter)
  if (filter.text) where.fullText(db, 'audit_fts', 'a.rid', filter.text, purpose)
  return where
}

/** The old/new values of cached audit rows, for the CSV export (the list pages carry no values). */
export function cachedAuditValues(cache: CacheDb, ids: string[]): Map<string, { oldValues: unknown; newValues: unknown }> {
  const rows = cache
    .prepare('SELECT id, old_values, new_values FROM audit_logs WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { id: string; old_values: string | null; new_values: string | null }[]
  return new Map(rows.map((r) => [r.id, { oldValues: parseCachedJson(r.old_values), newValues: parseCachedJson(r.new_values) }]))
}

/**
 * Offline the hashes cannot be recomputed the way the server does, but the links can be checked:
 * in seq order every cached row's position follows the previous one and its prev_hash is the
 * previous row's hash. The cache window may start mid-chain, so the first row's own link is not
 * checked. A row removed or altered in the cache breaks a link.
 */
export function checkCachedChainLinks(cache: CacheDb, tenantId: string): Omit<ChainVerification, 'source' | 'syncedAt'> {
  const rows = cache
    .prepare('SELECT id, seq, chain_position, prev_hash, hash FROM audit_logs WHERE tenant_id = ? ORDER BY seq')
    .iterate(tenantId) as IterableIterator<{ id: string; seq: number; chain_position: number | null; prev_hash: string | null; hash: string | null }>
  let previous: { chain_position: number | null; hash: string | null } | null = null
  let checked = 0
  const result = (status: ChainVerification['status'], broken: { id: string; seq: number } | null, reason: string | null) => ({
    tenantId,
    status,
    recomputed: false,
    brokenSeq: broken?.seq ?? null,
    brokenId: broken?.id ?? null,
    reason,
    rowsChecked: checked
  })
  for (const row of rows) {
    checked++
    if (row.hash === null || row.chain_position === null) return result('broken', row, 'row was never chained')
    if (previous) {
      if (row.chain_position !== previous.chain_position! + 1) return result('broken', row, `row at chain position ${previous.chain_position! + 1} is missing from the cache`)
      if (row.prev_hash !== previous.hash) return result('broken', row, 'previous hash does not match the previous row')
    }
    previous = row
  }
  return checked === 0 ? result('empty', null, null) : result('linked', null, null)
}
