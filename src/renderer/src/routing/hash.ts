/**
 * Hash routing: it works unchanged under file:// in Electron and at / in browser mode, and every
 * place in the console is a real link (`#/settings/connections`, `#/tenants/<id>`).
 */
export function parseHash(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment))
}

export function hrefOf(segments: readonly string[]): string {
  return '#/' + segments.map((segment) => encodeURIComponent(segment)).join('/')
}
