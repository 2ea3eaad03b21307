import type { WatermarkEvent, WatermarkHold } from '../../shared/events'
import type { Database } from '../db/types'
import { describeError } from '../rpc/describe-error'

/**
 * The sync reads below the watermark pg_snapshot_xmin(pg_current_snapshot()): the oldest
 * transaction still running anywhere on the server. A transaction left open (a psql session, a
 * stuck job) keeps every later change out of the offline cache for as long as it stays open.
 * This watch says so instead of letting the sync wait silently: while the same transaction has
 * been the oldest for HOLD_AFTER_MS, the sync bar shows since when, and the holder's role and
 * process where pg_stat_activity shows them (their start time only to roles allowed to see it).
 */
export const HOLD_AFTER_MS = 1_500
const INTERVAL_MS = 1_000

// The snapshot alone cannot tell "X is running" from "nothing runs, X is next" (xmin = xmax in
// both), so the oldest running transaction is looked up by its xid: a backend's, or a prepared one.
const HOLDER_SQL = `
  with w as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
       x as (select w.xmin, (w.xmin::text::numeric % 4294967296)::text as xid32 from w)
  select x.xmin::text as xmin, h.pid, h.role, h.xact_start,
         (h.pid is not null or exists (select 1 from pg_prepared_xacts p where p.transaction::text = x.xid32)) as running
    from x
    left join lateral (
      select a.pid, a.usename::text as role, a.xact_start from pg_stat_activity a
       where a.backend_xid::text = x.xid32
       limit 1
    ) h on true`

interface HolderRow {
  xmin: string
  running: boolean
  pid: number | null
  role: string | null
  xact_start: Date | null
}

export interface WatermarkWatch {
  /** Looks once (the timer does this every second); resolves to the hold it now reports. */
  check(): Promise<WatermarkHold | null>
  current(): WatermarkHold | null
  close(): void
}

export function startWatermarkWatch(options: {
  db(): Database | null
  emit(event: WatermarkEvent): void
  log?: (line: string) => void
  intervalMs?: number
  now?: () => number
}): WatermarkWatch {
  const now = options.now ?? Date.now
  let oldest: { xmin: string; firstSeen: number } | null = null
  let hold: WatermarkHold | null = null
  let checking = false

  function report(next: WatermarkHold | null): void {
    const changed = JSON.stringify(next) !== JSON.stringify(hold)
    hold = next
    // Repeated while held, so a window opened meanwhile learns it within a second.
    if (changed || next) options.emit({ type: 'watermark', hold: next })
  }

  async function check(): Promise<WatermarkHold | null> {
    const db = options.db()
    if (!db) {
      oldest = null
      if (hold) report(null)
      return hold
    }
    const { rows } = await db.withPlatform((client) => client.query<HolderRow>(HOLDER_SQL))
    const row = rows[0]!
    if (!row.running) {
      oldest = null
      if (hold) report(null)
      return hold
    }
    const at = now()
    if (!oldest || oldest.xmin !== row.xmin) oldest = { xmin: row.xmin, firstSeen: at }
    const since = row.xact_start ? row.xact_start.getTime() : oldest.firstSeen
    if (at - since < HOLD_AFTER_MS) {
      if (hold) report(null)
      return hold
    }
    report({ since: new Date(since).toISOString(), exactSince: row.xact_start !== null, role: row.role, pid: row.pid })
    return hold
  }

  const timer = setInterval(() => {
    if (checking) return
    checking = true
    check()
      .catch((error: unknown) => options.log?.(`watermark watch: ${describeError(error)}`))
      .finally(() => {
        checking = false
      })
  }, options.intervalMs ?? INTERVAL_MS)
  timer.unref()

  return {
    check,
    current: () => hold,
    close: () => clearInterval(timer)
  }
}
