import type { ServerEvent } from '../../../shared/events'
import type { ConsoleApi } from '../../../shared/rpc/client'
import { RpcError, isRpcErrorShape, type RpcResult } from '../../../shared/rpc/errors'

/**
 * Browser mode: the same ConsoleApi over the local HTTP server. The per-launch token goes only in
 * an `Authorization` header (never a cookie: cookies ignore ports). EventSource cannot set headers,
 * so the event stream is read with fetch and parsed here.
 */
export function createHttpApi(options: { baseUrl?: string; token?: string; fetch?: typeof fetch; reconnectMs?: number } = {}): ConsoleApi {
  const baseUrl = options.baseUrl ?? ''
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const authorization: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }
  return {
    platform: 'browser',
    async call(name, input) {
      let response: Response
      try {
        response = await doFetch(`${baseUrl}/rpc/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...authorization },
          credentials: 'omit',
          cache: 'no-store',
          body: JSON.stringify(input ?? null)
        })
      } catch {
        return transportFailure('OFFLINE', 'The console backend cannot be reached.')
      }
      const body: unknown = await response.json().catch(() => null)
      if (isRpcResult(body)) return body
      if (response.status === 401) return transportFailure('UNAUTHORIZED', UNAUTHORIZED_MESSAGE)
      return transportFailure('INTERNAL', `Unexpected response from the console backend (HTTP ${response.status}).`)
    },
    onEvent(listener) {
      const stop = new AbortController()
      void followEventStream({
        url: `${baseUrl}/events`,
        headers: authorization,
        fetch: doFetch,
        signal: stop.signal,
        reconnectMs: options.reconnectMs ?? RECONNECT_MS,
        listener
      })
      return () => stop.abort()
    }
  }
}

const UNAUTHORIZED_MESSAGE = 'The session token is missing or wrong; reopen the printed URL.'
/** What the server's `retry:` line asks for; EventSource used to honour it for us. */
const RECONNECT_MS = 3000

/**
 * Reads Server-Sent Events until aborted, reconnecting after a dropped stream as EventSource did.
 * A refused token ends it: retrying with the same token cannot succeed.
 */
async function followEventStream(stream: {
  url: string
  headers: Record<string, string>
  fetch: typeof fetch
  signal: AbortSignal
  reconnectMs: number
  listener: (event: ServerEvent) => void
}): Promise<void> {
  while (!stream.signal.aborted) {
    try {
      const response = await stream.fetch(stream.url, { headers: { accept: 'text/event-stream', ...stream.headers }, credentials: 'omit', cache: 'no-store', signal: stream.signal })
      if (response.status === 401) return
      if (response.ok && response.body) await readEvents(response.body, stream.listener)
    } catch {
      // Dropped or refused connection (or the abort itself): retried below unless aborted.
    }
    if (stream.signal.aborted) return
    await new Promise((resolve) => setTimeout(resolve, stream.reconnectMs))
  }
}

async function readEvents(body: ReadableStream<Uint8Array>, listener: (event: ServerEvent) => void): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffered += decoder.decode(value, { stream: true })
    let boundary: number
    while ((boundary = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, boundary)
      buffered = buffered.slice(boundary + 2)
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n')
      if (data === '') continue // comments (keep-alive) and retry: lines carry no event
      try {
        listener(JSON.parse(data) as ServerEvent)
      } catch {
        // A malformed frame is dropped; the stream itself stays up.
      }
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
