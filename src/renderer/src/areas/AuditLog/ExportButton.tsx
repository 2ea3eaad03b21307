import { useState } from 'react'
import type { ExportChunk } from '../../../../shared/rpc/areas/audit'
import { Icon } from '../../components/Icon'
import { useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { notifyError, notifySuccess } from '../../stores/notify'
import { auditCatalog } from './messages'

/**
 * CSV of the filtered view. The backend writes the file page by page (its progress bar appears in
 * the jobs strip); the renderer then reads it in chunks and hands it to the browser as a download —
 * in Electron the same download opens the native save dialog, so there is no Electron-only code.
 */
export function ExportButton({ filter }: { filter: object }) {
  const t = useT(auditCatalog)
  const [running, setRunning] = useState(false)
  const run = async () => {
    setRunning(true)
    try {
      const started = await rpc.call('audit.export', { filter: filter as never, jobId: `export-${crypto.randomUUID()}` })
      const parts: Uint8Array<ArrayBuffer>[] = []
      let offset: number | null = 0
      while (offset !== null) {
        const chunk: ExportChunk = await rpc.call('audit.exportChunk', { exportId: started.exportId, offset })
        parts.push(Uint8Array.from(atob(chunk.data), (c) => c.charCodeAt(0)))
        offset = chunk.nextOffset
      }
      saveAs(new Blob(parts, { type: 'text/csv;charset=utf-8' }), started.fileName)
      notifySuccess(t('export.done', { rows: started.rows, file: started.fileName }))
    } catch (error) {
      notifyError(error)
    } finally {
      setRunning(false)
    }
  }
  return (
    <button type="button" className="button" onClick={() => void run()} disabled={running} data-testid="audit-export">
      <Icon name="plus" />
      {running ? t('export.running') : t('export.button')}
    </button>
  )
}

function saveAs(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
