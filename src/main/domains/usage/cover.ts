import type { Period } from '../../../shared/rpc/areas/usage'
import { addDays, addMonths } from './compute'

/** A period as summary blocks, each named by its first day (months: the 1st; weeks: the Monday). */
export interface Cover {
  months: string[]
  weeks: string[]
  days: string[]
}

const isoWeekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() || 7

/** The Monday on or after `day`. */
const nextMonday = (day: string) => addDays(day, (8 - isoWeekday(day)) % 7)

/**
 * A period as summary blocks: its whole months; in what is left at each end, whole ISO weeks;
 * then single days. Every day of the period is in exactly one block. Migration 026's
 * app.usage_period_cover is the same rule in the database (a test holds the two equal), so the
 * cache's blocks and the server's answer the same question.
 */
export function coverPeriod(period: Period): Cover {
  const hi = addDays(period.to, 1)
  const m1 = period.from.endsWith('-01') ? period.from : addMonths(`${period.from.slice(0, 8)}01`, 1)
  const m2 = `${hi.slice(0, 8)}01`
  const cover: Cover = { months: [], weeks: [], days: [] }
  const edges: [string, string][] = []
  if (m1 < m2) {
    for (let m = m1; m < m2; m = addMonths(m, 1)) cover.months.push(m)
    edges.push([period.from, m1], [m2, hi])
  } else {
    edges.push([period.from, hi])
  }
  for (const [lo, end] of edges) {
    let day = lo
    const firstWeek = nextMonday(lo)
    for (; day < firstWeek && day < end; day = addDays(day, 1)) cover.days.push(day)
    for (; addDays(day, 7) <= end; day = addDays(day, 7)) cover.weeks.push(day)
    for (; day < end; day = addDays(day, 1)) cover.days.push(day)
  }
  return cover
}
