import { useCallback, useState } from 'react'

/**
 * The selected row of a VirtualTable whose rows are the result of a query. A selection is an index,
 * so once the filter or sort changes it would name a different row: Tab into the grid and Enter
 * would open a row nobody chose, and the arrows would start from the middle. `scope` identifies the
 * result set (e.g. the serialised filter); a selection made under another scope reads as none.
 */
export function useScopedSelection(scope: string): [number | null, (index: number | null) => void] {
  const [selection, setSelection] = useState<{ scope: string; index: number } | null>(null)
  const select = useCallback((index: number | null) => setSelection(index === null ? null : { scope, index }), [scope])
  return [selection !== null && selection.scope === scope ? selection.index : null, select]
}
