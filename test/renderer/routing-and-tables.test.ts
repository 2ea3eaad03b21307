import { describe, expect, it } from 'vitest'
import { gridKeyAction, nextActiveIndex } from '../../src/renderer/src/components/VirtualTable/navigation'
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

describe('virtual table key routing', () => {
  it('moves and opens rows from the grid itself', () => {
    expect(gridKeyAction('ArrowDown', 'grid', null, 10, 5)).toEqual({ type: 'move', index: 0, focusGrid: false })
    expect(gridKeyAction('ArrowUp', 'grid', 4, 10, 5)).toEqual({ type: 'move', index: 3, focusGrid: false })
    expect(gridKeyAction('Enter', 'grid', 4, 10, 5)).toEqual({ type: 'activate', index: 4 })
  })

  it('moves rows when the arrows are pressed on a sort button or cell link, and takes focus back', () => {
    expect(gridKeyAction('ArrowDown', 'control', null, 10, 5)).toEqual({ type: 'move', index: 0, focusGrid: true })
    expect(gridKeyAction('End', 'control', 2, 10, 5)).toEqual({ type: 'move', index: 9, focusGrid: true })
  })

  it('leaves Enter to the control it was pressed on, and every key to text fields and selects', () => {
    expect(gridKeyAction('Enter', 'control', 4, 10, 5)).toBeNull()
    expect(gridKeyAction('ArrowDown', 'text-entry', 4, 10, 5)).toBeNull()
    expect(gridKeyAction('Enter', 'text-entry', 4, 10, 5)).toBeNull()
  })

  it('opens nothing without a selection or when the selection is past the last row', () => {
    expect(gridKeyAction('Enter', 'grid', null, 10, 5)).toBeNull()
    expect(gridKeyAction('Enter', 'grid', 10, 10, 5)).toBeNull()
    expect(gridKeyAction('Enter', 'grid', 0, 0, 5)).toBeNull()
  })
})
