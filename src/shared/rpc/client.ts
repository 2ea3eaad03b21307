import type { ServerEvent } from '../events'
import type { InputOf, OutputOf } from './define'
import { RpcError, isConnectionFailure, type RpcResult } from './errors'
import { procedures, type ProcedureName, type Procedures } from './procedures'

/**
 * What the renderer talks to: `window.api` in Electron (exposed by the preload), or the HTTP
 * implementation in src/renderer/src/rpc/http-api.ts in browser mode. Results come back as RpcResult; nothing throws across it.
 */
export interface ConsoleApi {
  call(name: string, input: unknown): Promise<RpcResult<unknown>>
  /** Returns the unsubscribe function. */
  onEvent(listener: (event: ServerEvent) => void): () => void
  platform: string
}

export type Transport = (name: ProcedureName, input: unknown) => Promise<RpcResult<unknown>>

export type ProcedureCall<N extends ProcedureName> = (input: InputOf<Procedures[N]>) => Promise<OutputOf<Procedures[N]>>

export type RpcClient = { [N in ProcedureName]: ProcedureCall<N> } & {
  call<N extends ProcedureName>(name: N, input: InputOf<Procedures[N]>): Promise<OutputOf<Procedures[N]>>
}

/**
 * The typed client: one function per procedure of the table, each resolving to the output or
 * throwing an RpcError. Inputs are validated again in the main process; the types here only keep
 * the renderer honest at compile time.
 */
export function createClient(transport: Transport | Pick<ConsoleApi, 'call'>): RpcClient {
  const send: Transport = typeof transport === 'function' ? transport : (name, input) => transport.call(name, input)
  async function call(name: ProcedureName, input: unknown): Promise<unknown> {
    const result = await send(name, input)
    if (result.ok) return result.value
    const { code, message, retryable, issues, connectionFailure } = result.error
    throw new RpcError(code, message, { retryable, ...(issues ? { issues } : {}), ...(isConnectionFailure(connectionFailure) ? { connectionFailure } : {}) })
  }
  const client: Record<string, unknown> = { call }
  for (const name of Object.keys(procedures) as ProcedureName[]) {
    client[name] = (input: unknown) => call(name, input)
  }
  return client as RpcClient
}
