/**
 * Server-to-renderer events: one channel, a discriminated union. Long work (sync, exports, seeding)
 * reports progress; status changes tell the frame when the database comes and goes.
 */
export interface ProgressEvent {
  type: 'progress'
  /** Stable id of the job, so the renderer can show one bar per job. */
  jobId: string
  kind: 'sync' | 'export' | 'seed' | 'startup' | 'maintenance' | 'roll'
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

/** A transaction open somewhere on the server holds the sync's watermark back (see src/main/cache/watermark-watch.ts). */
export interface WatermarkHold {
  /** When the holding transaction began (exactSince), or when this console first saw it hold. */
  since: string
  exactSince: boolean
  /** The holder's role and backend process, when pg_stat_activity shows them. */
  role: string | null
  pid: number | null
}

export interface WatermarkEvent {
  type: 'watermark'
  hold: WatermarkHold | null
}

export type ServerEvent = ProgressEvent | StatusEvent | WatermarkEvent
