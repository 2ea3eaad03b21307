/**
 * How long to wait before the next attempt to reach a database that went away: short at first
 * (a restart is over in seconds), doubling up to a cap (an outage should not be hammered), with
 * jitter so many consoles that lost the same server do not come back in lockstep.
 */
export interface BackoffOptions {
  initialMs?: number
  maxMs?: number
  factor?: number
  /** Fraction of each delay that is randomized (0 = none, 0.2 = ±20%). */
  jitter?: number
  random?: () => number
}

export interface Backoff {
  /** The delay before the next attempt; each call counts one attempt. */
  next(): number
  /** After a success: the next failure starts from the initial delay again. */
  reset(): void
  readonly attempt: number
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 1000
  const maxMs = Math.max(initialMs, options.maxMs ?? 30_000)
  const factor = options.factor ?? 2
  const jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 1)
  const random = options.random ?? Math.random
  let attempt = 0
  return {
    next() {
      const base = Math.min(maxMs, initialMs * factor ** attempt)
      attempt++
      return Math.round(Math.min(maxMs, base * (1 - jitter + 2 * jitter * random())))
    },
    reset() {
      attempt = 0
    },
    get attempt() {
      return attempt
    }
  }
}
