import { z } from 'zod'

/**
 * The one export path, shared by every area. An area's export procedure (audit.export,
 * tenants.export …) checks its input, picks its source and starts a job that writes the file in the
 * background, reporting progress events of kind 'export' under the renderer's jobId. Once the job's
 * last event says finished, the renderer fetches the file: in browser mode from
 * GET /exports/<exportId> (same token as the RPC routes), in Electron with exports.save, which asks
 * where to save it through the native dialog (areas/exports.ts). The file is removed once delivered.
 */

/** Chosen by the renderer, so it can listen for the job's events before the job starts. */
export const exportJobIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/)

export interface ExportStarted {
  exportId: string
  fileName: string
  /** Rows the file will hold, when known before writing (the progress events' total). */
  total: number | null
}

export type ExportSaved = { saved: true; fileName: string } | { saved: false }
