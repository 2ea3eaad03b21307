import type { Rng } from './prng'

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export function daysBefore(anchor: Date, days: number): Date {
  return new Date(anchor.getTime() - days * DAY_MS)
}

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms)
}

/**
 * The `index`-th of `count` moments spread evenly over the history window (with jitter), so
 * index order is time order: bench tables are generated oldest first without sorting.
 */
export function spreadOverHistory(rng: Rng, anchor: Date, historyDays: number, index: number, count: number): Date {
  const span = historyDays * DAY_MS
  const slot = span / count
  return new Date(anchor.getTime() - span + Math.floor(index * slot + rng.next() * slot))
}

/**
 * The start of the current UTC hour: the default anchor, so "the last 90 days", "running now"
 * and "expires within 14 days" are true when the demo opens, and two loads within the same
 * hour are identical.
 */
export function startOfUtcHour(date: Date = new Date()): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS)
}
