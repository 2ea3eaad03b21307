import { useState } from 'react'
import type { ExportStarted } from '../../../shared/rpc/exports'
import { runExport } from '../rpc/exports'
import { notifyError, notifySuccess } from '../stores/notify'
import { Icon, type IconName } from './Icon'

export interface ExportButtonProps {
  /** Calls the area's export procedure with the given job id. */
  start(jobId: string): Promise<ExportStarted>
  label: string
  runningLabel: string
  /** The success toast, once the file is saved. */
  doneMessage(result: { rows: number; fileName: string }): string
  testId: string
  icon?: IconName
}

/**
 * Every export of the console: the backend writes the file in the background (its progress bar
 * is in the jobs strip), then it is saved — download in browser mode, native dialog in Electron.
 */
export function ExportButton({ start, label, runningLabel, doneMessage, testId, icon }: ExportButtonProps) {
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
      {icon ? <Icon name={icon} /> : null}
      {running ? runningLabel : label}
    </button>
  )
}
