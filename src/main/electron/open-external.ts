/**
 * The pages the console may open in the system browser, by exact address: the PostgreSQL SSL-mode
 * documentation the connection settings refer to. Anything else stays closed, another path on an
 * allowed host included (a host holds pages anyone can write, such as any repository on a code
 * host): a link in tenant data must not become a way to launch arbitrary URLs or protocols on the
 * operator's machine. A fragment (a section of the page) is allowed; a query is not.
 */
export const EXTERNAL_LINKS = ['https://www.postgresql.org/docs/current/libpq-ssl.html'] as const

export function isAllowedExternalUrl(url: string, links: readonly string[] = EXTERNAL_LINKS): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  const plain = parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && parsed.search === ''
  return plain && links.includes(`${parsed.origin}${parsed.pathname}`)
}

/** The only caller of shell.openExternal in the code base; electronegativity checks the rest. */
export function createExternalOpener(shellOpenExternal: (url: string) => Promise<void>, links: readonly string[] = EXTERNAL_LINKS) {
  return async function openExternal(url: string): Promise<boolean> {
    if (!isAllowedExternalUrl(url, links)) return false
    await shellOpenExternal(new URL(url).href)
    return true
  }
}
