import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createBackoff } from '../../src/main/db/reconnect'

describe('reconnect backoff', () => {
  it('doubles from the first delay up to the cap, and starts over after a success', () => {
    const backoff = createBackoff({ initialMs: 500, maxMs: 8000, jitter: 0 })
    expect(Array.from({ length: 7 }, () => backoff.next())).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000])
    expect(backoff.attempt).toBe(7)
    backoff.reset()
    expect(backoff.next()).toBe(500)
  })

  // The band of attempt n, worked out step by step (not with the module's formula): its base
  // doubles from the first delay and stops at the cap; jitter spreads it ±jitter around the base,
  // never above the cap.
  function bands(initialMs: number, maxMs: number, jitter: number, attempts: number) {
    const cap = Math.max(initialMs, maxMs)
    const result: { lower: number; upper: number; base: number }[] = []
    let base = Math.min(initialMs, cap)
    for (let n = 0; n < attempts; n++) {
      result.push({ base, lower: base * (1 - jitter), upper: Math.min(cap, base * (1 + jitter)) })
      base = Math.min(cap, base * 2)
    }
    return { cap, result }
  }

  const options = fc.record({
    initialMs: fc.integer({ min: 1, max: 5000 }),
    maxMs: fc.integer({ min: 1, max: 120_000 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true })
  })

  it('keeps every jittered delay within its band [lower, upper] and none passes the cap', () => {
    fc.assert(
      fc.property(options, fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 30 }), ({ initialMs, maxMs, jitter }, draws) => {
        let i = 0
        const backoff = createBackoff({ initialMs, maxMs, jitter, random: () => draws[i++ % draws.length]! })
        const { cap, result } = bands(initialMs, maxMs, jitter, draws.length)
        result.forEach((band) => {
          const delay = backoff.next()
          // Rounded to whole milliseconds: half a millisecond either way.
          expect(delay).toBeGreaterThanOrEqual(band.lower - 0.5)
          expect(delay).toBeLessThanOrEqual(band.upper + 0.5)
          expect(delay).toBeLessThanOrEqual(cap)
        })
      })
    )
  })

  it('reaches both edges of each band, is centred on its base, and grows from attempt to attempt at any one draw', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 1, max: 12 }), ({ initialMs, maxMs, jitter }, attempts) => {
        const { result } = bands(initialMs, maxMs, jitter, attempts)
        const delays = (draw: number) => {
          const backoff = createBackoff({ initialMs, maxMs, jitter, random: () => draw })
          return result.map(() => backoff.next())
        }
        const lowest = delays(0)
        const middle = delays(0.5)
        const highest = delays(1 - Number.EPSILON)
        // At one and the same draw the delays never shrink from one attempt to the next: the band only grows.
        for (const series of [lowest, middle, highest]) series.forEach((delay, n) => expect(delay).toBeGreaterThanOrEqual(series[n - 1] ?? 0))
        result.forEach((band, n) => {
          expect(Math.abs(lowest[n]! - band.lower)).toBeLessThanOrEqual(0.5)
          expect(Math.abs(middle[n]! - band.base)).toBeLessThanOrEqual(0.5)
          expect(Math.abs(highest[n]! - band.upper)).toBeLessThanOrEqual(0.5 + band.base * 2 * jitter * Number.EPSILON)
        })
      })
    )
  })
})
