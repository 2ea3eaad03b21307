/**
 * Where the active row goes for a key press in a grid of `count` rows showing about `pageSize`
 * at once; null for keys the grid does not handle (they keep their default behaviour).
 */
export function nextActiveIndex(key: string, current: number | null, count: number, pageSize: number): number | null {
  if (count === 0) return null
  const last = count - 1
  const from = current === null ? -1 : Math.min(current, last)
  const page = Math.max(1, pageSize - 1)
  switch (key) {
    case 'ArrowDown':
      return Math.min(from + 1, last)
    case 'ArrowUp':
      return from === -1 ? 0 : Math.max(from - 1, 0)
    case 'PageDown':
      return Math.min(Math.max(from, 0) + page, last)
    case 'PageUp':
      return Math.max(from - page, 0)
    case 'Home':
      return 0
    case 'End':
      return last
    default:
      return null
  }
}

/**
 * Where a key press inside the grid comes from: the grid itself, a control inside it that has no
 * use for arrows (a sort button in the header, a link in a cell), or a field that edits text or
 * picks an option with them.
 */
export type KeyOrigin = 'grid' | 'control' | 'text-entry'

export type GridKeyAction = { type: 'activate'; index: number } | { type: 'move'; index: number; focusGrid: boolean }

/**
 * What the grid does for a key press. Arrows pressed on a button or link inside the grid still move
 * the active row (and bring focus back to the grid, which announces it); Enter there stays the
 * control's own, and fields keep all their keys.
 */
export function gridKeyAction(key: string, origin: KeyOrigin, active: number | null, count: number, pageSize: number): GridKeyAction | null {
  if (origin === 'text-entry') return null
  if (key === 'Enter') return origin === 'grid' && active !== null && active < count ? { type: 'activate', index: active } : null
  const index = nextActiveIndex(key, active, count, pageSize)
  return index === null ? null : { type: 'move', index, focusGrid: origin === 'control' }
}
