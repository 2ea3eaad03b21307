import type { ServerEvent } from '../events'
import type { InputOf, OutputOf } from './define'
import { RpcError, isRpcErrorShape, type RpcResult } from './errors'
import { procedures, type ProcedureName, type Procedures } from './procedures'

/**
 * What the renderer talks to: `window.api` in Electron (exposed by the preload), or the HTTP
 * implementation below in browser mode. Results come back as RpcResult; nothing throws across it.
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
    const { code, message, retryable, issues } = result.error
    throw new RpcError(code, message, { retryable, ...(issues ? { issues } : {}) })
  }
  const client: Record<string, unknown> = { call }
  for (const name of Object.keys(procedures) as ProcedureName[]) {
    client[name] = (input: unknown) => call(name, input)
  }
  return client as RpcClient
}

/**
 * Browser mode: the same ConsoleApi over the local HTTP server. The per-launch token travels in an
 * HttpOnly cookie the server set on the first page load, so nothing here handles it.
 */
export function createHttpApi(options: { baseUrl?: string; fetch?: typeof fetch; EventSource?: typeof EventSource } = {}): ConsoleApi {
  const baseUrl = options.baseUrl ?? ''
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  return {
    platform: 'browser',
    async call(name, input) {
      let response: Response
      try {
        response = await doFetch(`${baseUrl}/rpc/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? null)
        })
      } catch {
        return transportFailure('OFFLINE', 'The console backend cannot be reached.')
      }
      const body: unknown = await response.json().catch(() => null)
      if (isRpcResult(body)) return body
      if (response.status === 401) return transportFailure('UNAUTHORIZED', 'The session token is missing or wrong; reopen the printed URL.')
      return transportFailure('INTERNAL', `Unexpected response from the console backend (HTTP ${response.status}).`)
    },
    onEvent(listener) {
      const Source = options.EventSource ?? globalThis.EventSource
      const source = new Source(`${baseUrl}/events`, { withCredentials: true })
      source.onmessage = (message) => {
        try {
          listener(JSON.parse(String(message.data)) as ServerEvent)
        } catch {
          // A malformed frame is dropped; the stream itself stays up.
        }
      }
      return () => source.close()
    }
  }
}

function isRpcResult(value: unknown): value is RpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return v.ok === true || (v.ok === false && isRpcErrorShape(v.error))
}

function transportFailure(code: 'OFFLINE' | 'UNAUTHORIZED' | 'INTERNAL', message: string): RpcResult<never> {
  return { ok: false, error: new RpcError(code, message).toJSON() }
}
