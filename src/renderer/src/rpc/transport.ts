import { createClient, type ConsoleApi } from '../../../shared/rpc/client'
import { createHttpApi } from './http-api'
import type { ServerEvent } from '../../../shared/events'
import { takeLaunchToken } from './launch-token'

/**
 * The renderer's only way out: `window.api` from the Electron preload, or, in browser mode, the
 * same API over the same-origin HTTP server, authenticated by the launch token.
 */
let resolved: ConsoleApi | null = null

// Resolved on first use, not at import: area modules import `rpc` for their palette providers,
// and their catalogs are also loaded where no window exists (the i18n tests under Node).
function api(): ConsoleApi {
  resolved ??= (window as Window & { api?: ConsoleApi }).api ?? createHttpApi({ token })
  return resolved
}

let token: string | undefined

/** Run once at start (adopt-launch-token.ts). In Electron there is no token and the address has none. */
export function adoptLaunchToken(): void {
  if ((window as Window & { api?: ConsoleApi }).api) return
  token = takeLaunchToken({ location: window.location, history: window.history, storage: window.sessionStorage })
}

/** Browser mode: a same-origin GET authenticated like every RPC call (the bearer header, never a cookie). */
export function authorizedGet(path: string): Promise<Response> {
  return fetch(path, { credentials: 'omit', cache: 'no-store', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })
}

export const rpc = createClient((name, input) => api().call(name, input))

const listeners = new Set<(event: ServerEvent) => void>()
let unsubscribe: (() => void) | null = null

/** One server subscription fanned out to every listener, however many parts of the UI listen. */
export function onServerEvent(listener: (event: ServerEvent) => void): () => void {
  listeners.add(listener)
  unsubscribe ??= api().onEvent((event) => {
    for (const each of listeners) each(event)
  })
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0 && unsubscribe) {
      unsubscribe()
      unsubscribe = null
    }
  }
}
