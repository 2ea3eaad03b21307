/**
 * Documentation links the console shows (PostgreSQL SSL modes in Settings → Connections, the
 * project's issue tracker). Anything else stays closed: a link in tenant data must not become a
 * way to launch arbitrary URLs or protocols on the operator's machine.
 */
export const EXTERNAL_LINK_HOSTS = ['www.postgresql.org', 'github.com'] as const

export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && hosts.includes(parsed.hostname)
}

/** The only caller of shell.openExternal in the code base; electronegativity checks the rest. */
export function createExternalOpener(shellOpenExternal: (url: string) => Promise<void>, hosts: readonly string[] = EXTERNAL_LINK_HOSTS) {
  return async function openExternal(url: string): Promise<boolean> {
    if (!isAllowedExternalUrl(url, hosts)) return false
    await shellOpenExternal(new URL(url).href)
    return true
  }
}
