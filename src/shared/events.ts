/**
 * Server-to-renderer events: one channel, a discriminated union. Long work (sync, exports, seeding)
 * reports progress; status changes tell the frame when the database comes and goes.
 */
export interface ProgressEvent {
  type: 'progress'
  /** Stable id of the job, so the renderer can show one bar per job. */
  jobId: string
  kind: 'sync' | 'export' | 'seed' | 'startup' | 'roll'
  label: string
  done: number
  /** null when the total is not known yet. */
  total: number | null
  /** Rows (or items) per second over the last interval. */
  rate?: number
  /** Estimated seconds left, when total and rate are known. */
  etaSeconds?: number
  finished?: boolean
  error?: string
}

export interface StatusEvent {
  type: 'status'
  state: 'connecting' | 'online' | 'offline'
  message?: string
}

export type ServerEvent = ProgressEvent | StatusEvent
