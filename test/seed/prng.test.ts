import { describe, expect, it } from 'vitest'
import { Rng } from '../../src/main/demo/seed/prng'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function draw(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32())
}

describe('Rng', () => {
  it('repeats the same stream for the same seed and labels', () => {
    expect(draw(new Rng(42, 'tenants'), 50)).toEqual(draw(new Rng(42, 'tenants'), 50))
  })

  it('gives different streams for a different seed or a different label', () => {
    const base = draw(new Rng(42, 'tenants'), 8)
    expect(draw(new Rng(43, 'tenants'), 8)).not.toEqual(base)
    expect(draw(new Rng(42, 'users'), 8)).not.toEqual(base)
    expect(draw(new Rng(42, 'tenants', 1), 8)).not.toEqual(draw(new Rng(42, 'tenants', 2), 8))
  })

  it('keeps int() inside its inclusive bounds and reaches both ends', () => {
    const rng = new Rng(7)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(3, 6)
      expect(v).toBeGreaterThanOrEqual(3)
      expect(v).toBeLessThanOrEqual(6)
      seen.add(v)
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6])
    expect(() => rng.int(5, 4)).toThrow(RangeError)
  })

  it('is roughly uniform (chi-square over 10 buckets)', () => {
    const rng = new Rng(1234)
    const buckets = new Array<number>(10).fill(0)
    const n = 100_000
    for (let i = 0; i < n; i++) buckets[Math.floor(rng.next() * 10)]!++
    const expected = n / 10
    const chi2 = buckets.reduce((sum, b) => sum + (b - expected) ** 2 / expected, 0)
    // 9 degrees of freedom: 27.9 is the 0.1% critical value
    expect(chi2).toBeLessThan(27.9)
  })

  it('follows weights', () => {
    const rng = new Rng(5)
    let heavy = 0
    for (let i = 0; i < 10_000; i++) if (rng.weighted([['a', 9], ['b', 1]] as const) === 'a') heavy++
    expect(heavy).toBeGreaterThan(8700)
    expect(heavy).toBeLessThan(9300)
  })

  it('samples distinct items', () => {
    const picked = new Rng(9).sample([1, 2, 3, 4, 5, 6, 7, 8], 5)
    expect(new Set(picked).size).toBe(5)
  })

  it('makes well-formed, distinct, reproducible UUIDs', () => {
    const rng = new Rng(42, 'ids')
    const ids = new Set<string>()
    for (let i = 0; i < 200_000; i++) {
      const id = rng.uuid()
      if (i < 100) expect(id).toMatch(UUID_V4)
      ids.add(id)
    }
    expect(ids.size).toBe(200_000)
    expect(new Rng(42, 'ids').uuid()).toBe(new Rng(42, 'ids').uuid())
  })

  it('gives the n-th row of a kind its own stream, so bench rows are derived by index without keeping earlier ones', () => {
    const nth = (seed: number, kind: string, index: number) => new Rng(seed, kind, index).uuid()
    expect(nth(42, 'execution', 999_999)).toBe(nth(42, 'execution', 999_999))
    expect(nth(42, 'execution', 1)).not.toBe(nth(42, 'execution', 2))
    expect(nth(42, 'execution', 1)).not.toBe(nth(42, 'steps', 1))
    expect(nth(42, 'execution', 1)).not.toBe(nth(43, 'execution', 1))
    // 400k per-row streams: a 32-bit seed mix would give ~19 duplicate ids here.
    const ids = new Set(Array.from({ length: 400_000 }, (_, i) => nth(1, 'x', i)))
    expect(ids.size).toBe(400_000)
  })

  it('produces ciphertext-looking base64 of the requested length', () => {
    const b64 = new Rng(3).base64(48)
    expect(Buffer.from(b64, 'base64')).toHaveLength(48)
    expect(new Rng(3).hex(5)).toMatch(/^[0-9a-f]{10}$/)
  })
})
