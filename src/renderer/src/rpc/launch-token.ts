/**
 * Browser mode's per-launch token. The printed link carries it in the fragment
 * (`http://127.0.0.1:PORT/#token=…`), which browsers never send to a server; the page takes it out
 * of the address at once (history.replaceState: the tokened URL leaves the history too) and hands
 * it only to the transport, which sends it as an Authorization header.
 * It is kept in memory and in sessionStorage, so that reloading the tab keeps the session: Web
 * Storage belongs to one origin, port included, unlike a cookie, so no other program on
 * 127.0.0.1 ever sees it, and it dies with the tab.
 */
export const TOKEN_STORAGE_KEY = 'avia.console-token'
const FRAGMENT = /^#token=([A-Za-z0-9_-]+)$/

interface PageEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>
  history: Pick<History, 'replaceState'>
  storage: Pick<Storage, 'getItem' | 'setItem'>
}

export function takeLaunchToken(page: PageEnvironment): string | undefined {
  const launched = FRAGMENT.exec(page.location.hash)?.[1]
  if (launched === undefined) return page.storage.getItem(TOKEN_STORAGE_KEY) ?? undefined
  page.storage.setItem(TOKEN_STORAGE_KEY, launched)
  page.history.replaceState(null, '', `${page.location.pathname}${page.location.search}#/`)
  return launched
}
