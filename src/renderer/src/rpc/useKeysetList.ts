import { useCallback, useEffect, useRef, useState } from 'react'
import type { ListPage } from '../../../shared/rpc/list'
import type { InputOf, OutputOf } from '../../../shared/rpc/define'
import { RpcError } from '../../../shared/rpc/errors'
import type { ProcedureName, Procedures } from '../../../shared/rpc/procedures'
import { useConnection } from '../stores/connection'
import { rpc } from './transport'

/** What a keyset list procedure takes besides its own filter (listPageSchema). */
interface PageRequest {
  cursor?: string | null
  limit?: number
}

/** Every procedure of the table that answers a keyset page and takes a cursor: a new list area needs no edit here. */
export type ListProcedureName = {
  [N in ProcedureName]: OutputOf<Procedures[N]> extends ListPage<unknown> ? (InputOf<Procedures[N]> extends PageRequest & { filter?: unknown } ? N : never) : never
}[ProcedureName]

export type ListFilterOf<N extends ListProcedureName> = NonNullable<InputOf<Procedures[N]>['filter']>
export type ListRowOf<N extends ListProcedureName> = OutputOf<Procedures[N]> extends ListPage<infer R> ? R : never

/**
 * The list procedures seen through one signature each. Assigning the client to it is checked per
 * name, so the generic hook below calls them without a cast.
 */
type ListCalls = { [N in ListProcedureName]: (input: PageRequest & { filter: ListFilterOf<N> }) => Promise<ListPage<ListRowOf<N>>> }
const listCalls: ListCalls = rpc

export interface KeysetList<R> {
  rows: R[]
  /** Loaded rows, plus one placeholder while more exist: scrolling onto it loads the next page. */
  rowCount: number
  hasMore: boolean
  loading: boolean
  error: unknown
  source: ListPage<R>['source'] | null
  syncedAt: string | null
  /** The filter the rows were loaded under (serialised): a selected row belongs to this result set. */
  scope: string
  /** Call with the last index on screen; fetches the next page when it is near. */
  onRangeChange(start: number, end: number): void
  reload(): void
}

const PAGE_SIZE = 200

/**
 * Newest-first lists paged by keyset cursor: only the pages scrolled to are fetched, so a
 * million cached rows cost what a hundred do. A change of filter, of connection state (the
 * source flips between server and cache) or a CONFLICT (a cursor of the other source) starts over.
 */
export function useKeysetList<N extends ListProcedureName>(name: N, filter: ListFilterOf<N>): KeysetList<ListRowOf<N>> {
  type R = ListRowOf<N>
  const state = useConnection((s) => s.status?.state ?? 'connecting')
  const [rows, setRows] = useState<R[]>([])
  const [page, setPage] = useState<{ nextCursor: string | null; source: ListPage<R>['source'] | null; syncedAt: string | null }>({ nextCursor: null, source: null, syncedAt: null })
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [generation, setGeneration] = useState(0)
  const filterKey = JSON.stringify(filter)
  const inflight = useRef<string | null>(null)
  const current = useRef(0)

  const fetchPage = useCallback(
    (cursor: string | null, run: number) => {
      const key = `${run}:${cursor ?? ''}`
      if (inflight.current === key) return
      inflight.current = key
      setLoading(true)
      const call: ListCalls[N] = listCalls[name]
      call({ filter: JSON.parse(filterKey) as ListFilterOf<N>, cursor, limit: PAGE_SIZE }).then(
        (result) => {
          if (current.current !== run) return
          inflight.current = null
          setRows((previous) => (cursor === null ? result.rows : [...previous, ...result.rows]))
          setPage({ nextCursor: result.nextCursor, source: result.source, syncedAt: result.syncedAt })
          setError(null)
          setLoading(false)
        },
        (failure: unknown) => {
          if (current.current !== run) return
          inflight.current = null
          setLoading(false)
          if (failure instanceof RpcError && failure.code === 'CONFLICT' && cursor !== null) setGeneration((g) => g + 1)
          else setError(failure)
        }
      )
    },
    [name, filterKey]
  )

  useEffect(() => {
    const run = ++current.current
    inflight.current = null
    setRows([])
    setPage({ nextCursor: null, source: null, syncedAt: null })
    fetchPage(null, run)
  }, [fetchPage, generation, state === 'online'])

  const nextCursor = page.nextCursor
  const onRangeChange = useCallback(
    (_start: number, end: number) => {
      if (nextCursor !== null && end >= rows.length - 40) fetchPage(nextCursor, current.current)
    },
    [nextCursor, rows.length, fetchPage]
  )

  return {
    rows,
    rowCount: rows.length + (nextCursor !== null ? 1 : 0),
    hasMore: nextCursor !== null,
    loading,
    error,
    source: page.source,
    syncedAt: page.syncedAt,
    scope: filterKey,
    onRangeChange,
    reload: useCallback(() => setGeneration((g) => g + 1), [])
  }
}
