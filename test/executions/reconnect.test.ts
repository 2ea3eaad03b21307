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

  it('keeps every jittered delay within its band and under the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 120_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 30 }), (initialMs, maxMs, jitter, draws) => {
        let i = 0
        const backoff = createBackoff({ initialMs, maxMs, jitter, random: () => draws[i++ % draws.length]! })
        const cap = Math.max(initialMs, maxMs)
        for (let attempt = 0; attempt < draws.length; attempt++) {
          const base = Math.min(cap, initialMs * 2 ** attempt)
          const delay = backoff.next()
          expect(delay).toBeLessThanOrEqual(cap)
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitter)) - 1)
        }
      })
    )
  })
})
