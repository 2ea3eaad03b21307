import { copyFile } from 'node:fs/promises'
import path from 'node:path'
import type { ExportSaved } from '../../shared/rpc/exports'
import { RpcError } from '../../shared/rpc/errors'
import type { ExportJobs } from './jobs'

/** Asks where to save a file (the Electron shell's native save dialog); null when cancelled. */
export type ChooseSaveFile = (suggestedName: string) => Promise<string | null>

/**
 * Electron's delivery of a finished export: the person picks the place in the native dialog (the
 * page never names a path), the file is copied there and the export removed. Browser mode has no
 * dialog: it downloads GET /exports/<id> instead.
 */
export async function saveExport(jobs: ExportJobs, choose: ChooseSaveFile | null, exportId: string): Promise<ExportSaved> {
  if (!choose) throw new RpcError('INVALID', 'This console has no save dialog: download the export instead.')
  const ready = jobs.ready(exportId)
  const target = await choose(ready.fileName)
  if (target === null) return { saved: false }
  await copyFile(ready.file, target)
  await jobs.remove(exportId)
  return { saved: true, fileName: path.basename(target) }
}
