import { useCallback, useEffect, useRef, useState } from 'react'

const PAGE_SIZE = 200

interface PageState<R> {
  key: string
  total: number | null
  /** The total is a lower bound: the list counts its matches only up to a cap past the page asked for. */
  totalCapped: boolean
  pages: Map<number, R[]>
  error: unknown
}

/**
 * The total after a page: an exact count wins; lower bounds only ever raise it (a page further down
 * counted further), so the table does not shrink when an earlier page is fetched again.
 */
export function nextTotal(previous: { total: number | null; totalCapped: boolean }, result: { total: number; totalCapped?: boolean }) {
  if (!result.totalCapped) return { total: result.total, totalCapped: false }
  if (previous.total !== null && !previous.totalCapped) return previous
  return { total: Math.max(previous.total ?? 0, result.total), totalCapped: true }
}

/**
 * Offset pages of a tenant list fetched as they scroll into view; a new filter starts over.
 * `fetchPage` asks for the rows of the current filter (the latest one given is used).
 */
export function usePages<R>(filter: unknown, fetchPage: (offset: number, limit: number) => Promise<{ rows: R[]; total: number; totalCapped?: boolean }>) {
  const [state, setState] = useState<PageState<R>>({ key: '', total: null, totalCapped: false, pages: new Map(), error: null })
  const requested = useRef(new Set<string>())
  const fetchRef = useRef(fetchPage)
  fetchRef.current = fetchPage
  const key = JSON.stringify(filter)

  const load = useCallback(
    (page: number) => {
      const id = `${key}#${page}`
      if (requested.current.has(id)) return
      requested.current.add(id)
      fetchRef.current(page * PAGE_SIZE, PAGE_SIZE).then(
        (result) =>
          setState((previous) => {
            const base: PageState<R> = previous.key === key ? previous : { key, total: null, totalCapped: false, pages: new Map<number, R[]>(), error: null }
            const pages = new Map(base.pages)
            pages.set(page, result.rows)
            return { key, ...nextTotal(base, result), pages, error: null }
          }),
        (error: unknown) => {
          requested.current.delete(id)
          // Never the rows of another filter under this one's key (a refused search showed everything).
          setState((previous) => (previous.key === key ? { ...previous, error } : { key, total: null, totalCapped: false, pages: new Map<number, R[]>(), error }))
        }
      )
    },
    [key]
  )

  useEffect(() => {
    requested.current.clear()
    load(0)
  }, [load])

  const current = state.key === key ? state : { total: null, totalCapped: false, pages: new Map<number, R[]>(), error: state.error }
  return {
    /** Identifies the result set: a selection made in another one names a different tenant. */
    resultSet: key,
    total: current.total,
    totalCapped: current.totalCapped,
    error: current.error,
    getRow: (index: number) => current.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    onRange: (start: number, end: number) => {
      for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor(end / PAGE_SIZE); page++) load(page)
    },
    retry: () => {
      requested.current.clear()
      load(0)
    }
  }
}
