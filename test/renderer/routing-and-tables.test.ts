import { describe, expect, it } from 'vitest'
import { nextActiveIndex } from '../../src/renderer/src/components/VirtualTable/navigation'
import { hrefOf, parseHash } from '../../src/renderer/src/routing/hash'

describe('hash routes', () => {
  it('round-trips segments with spaces, slashes and accents', () => {
    const segments = ['tenants', 'Clínica / Sur 24', 'timeline']
    const href = hrefOf(segments)
    expect(href.startsWith('#/tenants/')).toBe(true)
    expect(href.split('/')).toHaveLength(4)
    expect(parseHash(href)).toEqual(segments)
  })

  it('reads empty and sloppy hashes', () => {
    expect(parseHash('')).toEqual([])
    expect(parseHash('#')).toEqual([])
    expect(parseHash('#/settings//general/')).toEqual(['settings', 'general'])
  })
})

describe('virtual table keyboard', () => {
  it('moves within bounds', () => {
    expect(nextActiveIndex('ArrowDown', null, 10, 5)).toBe(0)
    expect(nextActiveIndex('ArrowDown', 3, 10, 5)).toBe(4)
    expect(nextActiveIndex('ArrowDown', 9, 10, 5)).toBe(9)
    expect(nextActiveIndex('ArrowUp', 0, 10, 5)).toBe(0)
    expect(nextActiveIndex('ArrowUp', null, 10, 5)).toBe(0)
    expect(nextActiveIndex('Home', 7, 10, 5)).toBe(0)
    expect(nextActiveIndex('End', 2, 10, 5)).toBe(9)
  })

  it('pages by one screen less a row, so the last visible row stays in view', () => {
    expect(nextActiveIndex('PageDown', 0, 1_000_000, 20)).toBe(19)
    expect(nextActiveIndex('PageUp', 100, 1_000_000, 20)).toBe(81)
    expect(nextActiveIndex('PageDown', 999_990, 1_000_000, 20)).toBe(999_999)
  })

  it('clamps a stale active row after the row count shrank', () => {
    expect(nextActiveIndex('ArrowUp', 50, 10, 5)).toBe(8)
  })

  it('ignores other keys and empty tables', () => {
    expect(nextActiveIndex('a', 3, 10, 5)).toBeNull()
    expect(nextActiveIndex('ArrowDown', null, 0, 5)).toBeNull()
  })
})
