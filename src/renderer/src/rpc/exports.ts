import type { ProgressEvent } from '../../../shared/events'
import { RpcError } from '../../../shared/rpc/errors'
import type { ExportSaved, ExportStarted } from '../../../shared/rpc/exports'
import { authorizedGet, onServerEvent, rpc } from './transport'

/**
 * The renderer's half of the one export path (src/shared/rpc/exports.ts): start the area's export
 * job, wait for its last progress event, then deliver the file — saved through the native dialog
 * in Electron, downloaded from the server in browser mode.
 */
export async function runExport(start: (jobId: string) => Promise<ExportStarted>): Promise<ExportSaved & { rows: number }> {
  const jobId = `export-${crypto.randomUUID()}`
  // Listening before the job starts: a small export can finish before the call returns.
  const finished = lastEventOf(jobId)
  let started: ExportStarted
  try {
    started = await start(jobId)
  } catch (error) {
    finished.cancel()
    throw error
  }
  const last = await finished.event
  if (last.error !== undefined) throw new RpcError('INTERNAL', last.error)
  if (inElectron()) return { ...(await rpc.call('exports.save', { exportId: started.exportId })), rows: last.done }
  await download(started)
  return { saved: true, fileName: started.fileName, rows: last.done }
}

function lastEventOf(jobId: string): { event: Promise<ProgressEvent>; cancel(): void } {
  let stop = () => {}
  const event = new Promise<ProgressEvent>((resolve) => {
    stop = onServerEvent((each) => {
      if (each.type === 'progress' && each.jobId === jobId && each.finished) {
        stop()
        resolve(each)
      }
    })
  })
  return { event, cancel: () => stop() }
}

const inElectron = () => (window as Window & { api?: unknown }).api !== undefined

/** Browser mode: the file from GET /exports/<id>, authenticated like every RPC call, then saved as a download. */
async function download(started: ExportStarted): Promise<void> {
  const response = await authorizedGet(`/exports/${encodeURIComponent(started.exportId)}`)
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
    throw new RpcError(response.status === 404 ? 'NOT_FOUND' : 'INTERNAL', body?.error?.message ?? `The export could not be downloaded (HTTP ${response.status}).`)
  }
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = started.fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
