const URL_PATTERN = /\b(?:https?|wss?|ftp):\/\/[^\s'"`<>{}|\\^]+/gi

/** The host of every absolute URL in `text` (lower case, as the URL parser normalizes it: 0x7f.1 → 127.0.0.1). */
export function hostsIn(text: string): string[] {
  const hosts = new Set<string>()
  for (const match of text.matchAll(URL_PATTERN)) {
    try {
      const host = new URL(match[0]).hostname
      if (host) hosts.add(host)
    } catch {
      // Not a URL after all.
    }
  }
  return [...hosts]
}

/** IP literals and raw ports say the destination avoided a name. */
export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')
}
