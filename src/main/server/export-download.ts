import { open } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { RpcError, type RpcErrorCode } from '../../shared/rpc/errors'
import type { ExportJobs } from '../exports/jobs'

const EXPORT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const HTTP_STATUS: Partial<Record<RpcErrorCode, number>> = { BAD_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409, INVALID: 422 }

/**
 * Browser mode's delivery of a finished export: the file streamed from disk in chunks (never
 * whole in memory), as an attachment. It is delivered once: the export is removed as soon as the
 * file is open, so a second request finds nothing. Reached only past the server's token check.
 * A refusal is the same JSON failure the RPC routes send.
 */
export async function serveExport(exports: Pick<ExportJobs, 'ready' | 'remove'>, exportId: string, res: ServerResponse): Promise<void> {
  let ready
  try {
    if (!EXPORT_ID.test(exportId)) throw new RpcError('BAD_INPUT', 'Not an export id')
    ready = exports.ready(exportId)
  } catch (error) {
    const refusal = error instanceof RpcError ? error : new RpcError('INTERNAL', 'Internal error')
    const body = JSON.stringify({ ok: false, error: refusal.toJSON() })
    res.writeHead(HTTP_STATUS[refusal.code] ?? 500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
    res.end(body)
    return
  }
  const file = await open(ready.file, 'r')
  await exports.remove(exportId)
  res.writeHead(200, {
    'content-type': ready.fileName.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream',
    'content-length': ready.bytes,
    'content-disposition': `attachment; filename="${ready.fileName.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'no-store'
  })
  await pipeline(file.createReadStream(), res)
}
