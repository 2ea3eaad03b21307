import type { ChainVerification } from '../../../shared/rpc/areas/audit'
import type { CacheDb } from '../../cache/db'

/** The old/new values of cached audit rows, for the CSV export (the list pages carry no values). */
export function cachedAuditValues(cache: CacheDb, ids: string[]): Map<string, { oldValues: unknown; newValues: unknown }> {
  const rows = cache
    .prepare('SELECT id, old_values, new_values FROM audit_logs WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { id: string; old_values: string | null; new_values: string | null }[]
  return new Map(rows.map((r) => [r.id, { oldValues: parseJson(r.old_values), newValues: parseJson(r.new_values) }]))
}

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text))

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
