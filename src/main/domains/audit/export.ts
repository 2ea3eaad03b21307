import type { ProgressEvent } from '../../../shared/events'
import type { AuditFilterInput } from '../../../shared/rpc/areas/audit'
import type { ExportStarted } from '../../../shared/rpc/exports'
import type { DataSourceChoice } from '../../../shared/rpc/list'
import type { Backend } from '../../backend-types'
import { exportTimestamp } from '../../exports/names'
import { decodeCacheCursor, decodeServerCursor, encodeCacheCursor } from '../../reads/keyset'
import { readFrom } from '../../reads/source'
import { cachedAuditValues, countAuditLogs, listAuditLogs } from './cache-queries'
import type { AuditRowWithValues } from './rows'
import { countServerAudit, listServerAuditWithValues } from './server-queries'

export const AUDIT_CSV_HEADER = ['created_at', 'tenant_id', 'actor', 'action', 'resource_type', 'resource_id', 'old_values', 'new_values', 'id'] as const
const PAGE = 500

interface PageSource {
  total: number
  page(cursor: string | null): Promise<{ rows: AuditRowWithValues[]; nextCursor: string | null }>
}

/**
 * The filtered audit view as CSV, newest first, through the one export path. The source is
 * chosen (and the rows counted) before the call returns, so an offline server or a refused filter
 * is the call's typed error; the pages are read and written in the background.
 */
export async function exportAuditCsv(
  backend: Pick<Backend, 'db' | 'offlineCache' | 'exports'>,
  input: { filter: AuditFilterInput; source: DataSourceChoice; jobId: string },
  emit: (event: ProgressEvent) => void
): Promise<ExportStarted> {
  const { value: source } = await readFrom<PageSource>(backend, input.source, {
    server: async (db) => ({
      total: await countServerAudit(db, input.filter),
      page: (cursor) => listServerAuditWithValues(db, input.filter, PAGE, decodeServerCursor(cursor))
    }),
    cache: (cache) => ({
      total: countAuditLogs(cache, input.filter),
      page: async (cursor) => {
        const page = listAuditLogs(cache, input.filter, PAGE, decodeCacheCursor(cursor))
        const values = cachedAuditValues(cache, page.rows.map((r) => r.id))
        return { rows: page.rows.map((r) => ({ ...r, ...values.get(r.id)! })), nextCursor: encodeCacheCursor(page.nextCursor) }
      }
    })
  })
  return backend.exports.start(
    {
      jobId: input.jobId,
      label: 'Exporting the audit log',
      doneLabel: 'Audit log exported',
      entries: [
        {
          name: `audit-log-${exportTimestamp()}.csv`,
          header: AUDIT_CSV_HEADER,
          total: source.total,
          async *pages() {
            let cursor: string | null = null
            do {
              const page = await source.page(cursor)
              yield page.rows.map((r) => [r.createdAt, r.tenantId, r.actor, r.action, r.resourceType, r.resourceId, r.oldValues, r.newValues, r.id])
              cursor = page.nextCursor
            } while (cursor !== null)
          }
        }
      ]
    },
    emit
  )
}
