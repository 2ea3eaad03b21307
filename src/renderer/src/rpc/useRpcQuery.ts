import { useCallback, useEffect, useState } from 'react'
import type { InputOf, OutputOf } from '../../../shared/rpc/define'
import type { ProcedureName, Procedures } from '../../../shared/rpc/procedures'
import { rpc } from './transport'

export interface QueryState<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload(): void
}

/**
 * Calls a query procedure when the component mounts and whenever its input changes; an answer
 * that arrives after a newer call started is dropped, so fast filter changes cannot show stale rows.
 */
export function useRpcQuery<N extends ProcedureName>(name: N, input: InputOf<Procedures[N]>): QueryState<OutputOf<Procedures[N]>> {
  const [state, setState] = useState<{ data: OutputOf<Procedures[N]> | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true })
  const [generation, setGeneration] = useState(0)
  const inputKey = JSON.stringify(input)

  useEffect(() => {
    let current = true
    setState((previous) => ({ ...previous, loading: true }))
    rpc.call(name, JSON.parse(inputKey) as InputOf<Procedures[N]>).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error, loading: false }))
    )
    return () => {
      current = false
    }
  }, [name, inputKey, generation])

  const reload = useCallback(() => setGeneration((value) => value + 1), [])
  return { ...state, reload }
}
