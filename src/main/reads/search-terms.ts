/**
 * The words of a search box, for both sources (reads/cache-sql.ts toFtsQuery for the cache,
 * reads/sql.ts toTsQuery for the server), so both ask for the same words: runs of letters and
 * digits, an underscore splitting them as both tokenizers do (client_id is "client" and "id"),
 * and a trailing * making the word before it a prefix. Nothing else in the input reaches either
 * query language.
 */
export function searchTerms(text: string): { word: string; prefix: boolean }[] {
  return (text.match(/[\p{L}\p{N}_]+\*?/gu) ?? []).flatMap((token) => {
    const prefix = token.endsWith('*')
    const parts = token.replace(/\*$/, '').split('_').filter(Boolean)
    return parts.map((word, i) => ({ word, prefix: prefix && i === parts.length - 1 }))
  })
}
