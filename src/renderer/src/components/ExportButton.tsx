import { useState } from 'react'
import type { ExportStarted } from '../../../shared/rpc/exports'
import { runExport } from '../rpc/exports'
import { notifyError, notifySuccess } from '../stores/notify'
import { Icon } from './Icon'

export interface ExportButtonProps {
  /** Calls the area's export procedure with the given job id. */
  start(jobId: string): Promise<ExportStarted>
  label: string
  runningLabel: string
  /** The success toast, once the file is saved. */
  doneMessage(result: { rows: number; fileName: string }): string
  testId: string
}

/**
 * Every export of the console, with the same download icon (an area cannot give it another): the backend writes the file in the background (its progress bar
 * is in the jobs strip), then it is saved — download in browser mode, native dialog in Electron.
 */
export function ExportButton({ start, label, runningLabel, doneMessage, testId }: ExportButtonProps) {
  const [running, setRunning] = useState(false)
  const run = async () => {
    setRunning(true)
    try {
      const result = await runExport(start)
      if (result.saved) notifySuccess(doneMessage({ rows: result.rows, fileName: result.fileName }))
    } catch (error) {
      notifyError(error)
    } finally {
      setRunning(false)
    }
  }
  return (
    <button type="button" className="button" onClick={() => void run()} disabled={running} data-testid={testId}>
      <Icon name="download" />
      {running ? runningLabel : label}
    </button>
  )
}
