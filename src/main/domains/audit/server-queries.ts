import { RpcError } from '../../../shared/rpc/errors'
import type { AuditDetail, AuditFilterInput, ChainVerification } from '../../../shared/rpc/areas/audit'
import type { Database } from '../../db/types'
import { acrossTenants, newestFirstPage } from '../../reads/across-tenants'
import type { ServerCursor } from '../../reads/keyset'
import { isoMicros, isoMillis, olderThan, SqlWhere, toTsQuery } from '../../reads/sql'
import { toAuditDetail, toAuditRow, toAuditRowWithValues, type AuditDetailRecord, type AuditValuesRecord } from './rows'

/** The audit-log screen from PostgreSQL: tenant rows only, each tenant in its own context. */

const ROW_COLUMNS = `a.id::text as id, a.tenant_id::text as tenant_id, a.actor, a.action, a.resource_type,
  a.resource_id::text as resource_id, ${isoMillis('a.created_at')} as created_at`

/** The same four fields the cache's FTS5 index covers, as one document. */
const SEARCH_DOCUMENT = `to_tsvector('simple', a.action || ' ' || a.resource_type || ' ' || coalesce(a.old_values::text, '') || ' ' || coalesce(a.new_values::text, ''))`

function auditWhere(filter: AuditFilterInput, tenantId: string): SqlWhere {
  const where = new SqlWhere().eq('a.tenant_id', tenantId).eq('a.actor', filter.actor).eq('a.action', filter.action).eq('a.resource_type', filter.resourceType)
  where.timeRange('a.created_at', filter)
  if (filter.text !== undefined) {
    const tsQuery = toTsQuery(filter.text)
    where.add(tsQuery === null ? 'false' : `${SEARCH_DOCUMENT} @@ to_tsquery('simple', ${where.param(tsQuery)})`)
  }
  return where
}

/** One page, newest first. */
export function listServerAudit(db: Database, filter: AuditFilterInput, limit: number, cursor: ServerCursor | null) {
  return auditPage(db, filter, limit, cursor, '', toAuditRow)
}

/** The same page with each entry's old and new values, for the CSV export. */
export function listServerAuditWithValues(db: Database, filter: AuditFilterInput, limit: number, cursor: ServerCursor | null) {
  return auditPage(db, filter, limit, cursor, ', a.old_values, a.new_values', toAuditRowWithValues)
}

async function auditPage<T extends { id: string }>(
  db: Database,
  filter: AuditFilterInput,
  limit: number,
  cursor: ServerCursor | null,
  extraColumns: string,
  toRow: (record: AuditValuesRecord) => T
) {
  const pages = await acrossTenants(db, filter.tenantId, async (client, tenantId) => {
    const where = auditWhere(filter, tenantId)
    olderThan(where, 'a.created_at', 'a.id', cursor)
    const { rows } = await client.query<AuditValuesRecord & { cursorAt: string }>(
      `select ${ROW_COLUMNS}${extraColumns}, ${isoMicros('a.created_at')} as "cursorAt" from audit_logs a ${where.sql()}
       order by a.created_at desc, a.id desc limit ${where.param(limit)}`,
      where.params
    )
    return rows.map((row) => ({ ...toRow(row), cursorAt: row.cursorAt }))
  })
  return newestFirstPage(pages, limit)
}

export async function countServerAudit(db: Database, filter: AuditFilterInput): Promise<number> {
  const counts = await acrossTenants(db, filter.tenantId, async (client, tenantId) => {
    const where = auditWhere(filter, tenantId)
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from audit_logs a ${where.sql()}`, where.params)
    return Number(rows[0]!.n)
  })
  return counts.reduce((sum, n) => sum + n, 0)
}

export async function getServerAudit(db: Database, tenantId: string, id: string): Promise<AuditDetail> {
  const { rows } = await db.withTenant(tenantId, (client) =>
    client.query<AuditDetailRecord>(
      `select ${ROW_COLUMNS}, a.old_values, a.new_values, host(a.ip_address) as ip_address,
              a.user_agent, a.seq::float8 as seq, a.chain_position::float8 as chain_position, a.prev_hash, a.hash
       from audit_logs a where a.id = $1`,
      [id]
    )
  )
  if (!rows[0]) throw new RpcError('NOT_FOUND', 'No such audit entry in this tenant (or you may not see it).')
  return toAuditDetail(rows[0])
}

/** app.verify_audit_chain recomputes every hash of the tenant's chain on the server. */
export async function verifyServerChain(db: Database, tenantId: string): Promise<Omit<ChainVerification, 'source' | 'syncedAt'>> {
  const { rows } = await db.withTenant(tenantId, (client) =>
    client.query<{ status: 'intact' | 'broken'; broken_seq: string | null; broken_id: string | null; reason: string | null }>(
      'select status, broken_seq::text, broken_id::text, reason from app.verify_audit_chain($1)',
      [tenantId]
    )
  )
  const row = rows[0]!
  return {
    tenantId,
    status: row.status,
    recomputed: true,
    brokenSeq: row.broken_seq === null ? null : Number(row.broken_seq),
    brokenId: row.broken_id,
    reason: row.reason,
    rowsChecked: null
  }
}
