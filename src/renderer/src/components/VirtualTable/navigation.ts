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
