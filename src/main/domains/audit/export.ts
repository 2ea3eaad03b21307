import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import { once } from 'node:events'
import path from 'node:path'
import type { ProgressEvent } from '../../../shared/events'
import { RpcError } from '../../../shared/rpc/errors'
import type { AuditFilterInput, ExportChunk, ExportStarted } from '../../../shared/rpc/areas/audit'
import type { DataSourceChoice } from '../../../shared/rpc/list'
import type { Backend } from '../../backend-types'
import { decodeCacheCursor, decodeServerCursor, encodeCacheCursor } from '../../reads/keyset'
import { readFrom } from '../../reads/source'
import { cachedAuditValues, countAuditLogs, listAuditLogs } from './cache-queries'
import { csvRow, UTF8_BOM } from '../../csv'
import type { AuditRowWithValues } from './rows'
import { countServerAudit, listServerAuditWithValues } from './server-queries'

export const AUDIT_CSV_HEADER = ['created_at', 'tenant_id', 'actor', 'action', 'resource_type', 'resource_id', 'old_values', 'new_values', 'id'] as const
const PAGE = 500
const CHUNK_BYTES = 1024 * 1024
/** Exports nobody fetched are removed after this long. */
const EXPORT_TTL_MS = 60 * 60 * 1000

const exportDir = (backend: Backend) => path.join(backend.dataDir, 'exports')
const exportFile = (backend: Backend, exportId: string) => path.join(exportDir(backend), `${exportId}.csv`)

interface PageSource {
  total: number
  page(cursor: string | null): Promise<{ rows: AuditRowWithValues[]; nextCursor: string | null }>
}

/**
 * Writes the filtered audit view as CSV into the console's export folder, page by page (a million
 * rows never sit in memory), reporting progress. The renderer then reads it with audit.exportChunk
 * and saves it as a download (browser mode) or through Electron's save dialog.
 */
export async function exportAuditCsv(
  backend: Backend,
  input: { filter: AuditFilterInput; source: DataSourceChoice; jobId: string },
  emit: (event: ProgressEvent) => void
): Promise<ExportStarted> {
  await mkdir(exportDir(backend), { recursive: true, mode: 0o700 })
  await removeStaleExports(backend)
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

  const exportId = randomUUID()
  const file = exportFile(backend, exportId)
  const progress = (done: number, extra: Partial<ProgressEvent> = {}) =>
    emit({ type: 'progress', jobId: input.jobId, kind: 'export', label: 'Exporting the audit log', done, total: source.total, ...extra })
  const out = createWriteStream(file, { mode: 0o600 })
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  let rows = 0
  try {
    progress(0)
    await write(UTF8_BOM + csvRow(AUDIT_CSV_HEADER))
    let cursor: string | null = null
    do {
      const page = await source.page(cursor)
      for (const r of page.rows) await write(csvRow([r.createdAt, r.tenantId, r.actor, r.action, r.resourceType, r.resourceId, r.oldValues, r.newValues, r.id]))
      rows += page.rows.length
      cursor = page.nextCursor
      progress(rows)
    } while (cursor !== null)
    out.end()
    await once(out, 'finish')
  } catch (error) {
    out.destroy()
    await rm(file, { force: true })
    progress(rows, { finished: true, error: error instanceof Error ? error.message : String(error) })
    throw error
  }
  progress(rows, { finished: true, label: 'Audit log exported', total: rows })
  const timestamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')
  return { exportId, fileName: `audit-log-${timestamp}.csv`, rows, bytes: (await stat(file)).size }
}

/** The next bytes of an export; the file is deleted once its last chunk was read. */
export async function readExportChunk(backend: Backend, exportId: string, offset: number): Promise<ExportChunk> {
  const file = exportFile(backend, exportId)
  let handle
  try {
    handle = await open(file, 'r')
  } catch {
    throw new RpcError('NOT_FOUND', 'This export does not exist (any more); export again.')
  }
  try {
    const size = (await handle.stat()).size
    if (offset > size) throw new RpcError('INVALID', 'The offset is past the end of the export.')
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, size - offset))
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
    const end = offset + bytesRead
    if (end >= size) await rm(file, { force: true })
    return { data: buffer.subarray(0, bytesRead).toString('base64'), nextOffset: end >= size ? null : end }
  } finally {
    await handle.close()
  }
}

async function removeStaleExports(backend: Backend): Promise<void> {
  const now = Date.now()
  for (const name of await readdir(exportDir(backend))) {
    const file = path.join(exportDir(backend), name)
    const info = await stat(file).catch(() => null)
    if (info && now - info.mtimeMs > EXPORT_TTL_MS) await rm(file, { force: true })
  }
}
