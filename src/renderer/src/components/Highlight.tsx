import type { ReactNode } from 'react'

/**
 * `text` with every case-insensitive occurrence of `query` marked, as the server's substring search
 * (ILIKE) found it. React text nodes and <mark> elements only: no HTML is ever parsed, so a hit
 * inside markup-looking text stays text.
 */
export function Highlight({ text, query }: { text: string; query: string }): ReactNode {
  const needle = query.trim()
  if (needle === '') return text
  const pattern = new RegExp(`(${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'giu')
  // split with one capturing group: the hits are at the odd indexes.
  return text.split(pattern).map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))
}
