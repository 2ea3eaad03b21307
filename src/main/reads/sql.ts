import { searchTerms } from './search-terms'

/** Conditions with numbered parameters, for the server-side lists' optional filters. */
export class SqlWhere {
  private readonly clauses: string[] = []
  readonly params: unknown[] = []

  /** Adds the value as the next parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value)
    return `$${this.params.length}`
  }

  add(clause: string): this {
    this.clauses.push(clause)
    return this
  }

  eq(column: string, value: string | undefined): this {
    return value === undefined ? this : this.add(`${column} = ${this.param(value)}`)
  }

  timeRange(column: string, range: { from?: string | undefined; to?: string | undefined }): this {
    if (range.from !== undefined) this.add(`${column} >= ${this.param(range.from)}::timestamptz`)
    if (range.to !== undefined) this.add(`${column} < ${this.param(range.to)}::timestamptz`)
    return this
  }

  sql(): string {
    return this.clauses.length ? `where ${this.clauses.join(' and ')}` : ''
  }
}

/** Milliseconds, truncated like the cache stores them, so both sources print the same times. */
export const isoMillis = (column: string) => `to_char(date_trunc('milliseconds', ${column}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
/** Full precision, for keyset cursors. */
export const isoMicros = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/**
 * The server's full-text search mirrors the cache's FTS5 query (src/main/reads/cache-sql.ts
 * toFtsQuery, the same searchTerms): every word must occur, a word ending in * matches as a
 * prefix, and a word joined by underscores asks for each of its parts. It runs on
 * to_tsvector('simple', …) — no stemming, so both sides match the same words; there is no index
 * behind it, which is fine inside one tenant and time range. Only letters and digits reach
 * to_tsquery, so no input is read as tsquery syntax.
 */
export function toTsQuery(text: string): string | null {
  const terms = searchTerms(text.toLowerCase()).map(({ word, prefix }) => (prefix ? `${word}:*` : word))
  return terms.length === 0 ? null : terms.join(' & ')
}

/** Adds a keyset "older than the cursor" condition on (time, id). */
export function olderThan(where: SqlWhere, timeColumn: string, idColumn: string, cursor: { at: string; id: string } | null): void {
  if (cursor) where.add(`(${timeColumn}, ${idColumn}) < (${where.param(cursor.at)}::timestamptz, ${where.param(cursor.id)}::uuid)`)
}
