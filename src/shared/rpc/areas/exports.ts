import { z } from 'zod'
import { mutation } from '../define'
import type { ExportSaved } from '../exports'

/** The delivery half of the one export path (src/shared/rpc/exports.ts) that is not HTTP. */
export const exportsProcedures = {
  /** Electron: the native save dialog for a finished export; { saved: false } when cancelled. */
  'exports.save': mutation(z.strictObject({ exportId: z.uuid() })).returns<ExportSaved>()
} as const
