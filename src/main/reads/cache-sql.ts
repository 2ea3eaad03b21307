import { RpcError } from '../../shared/rpc/errors'
import type { CacheDb } from '../cache/db'
import { searchTerms } from './search-terms'

/**
 * The offline cache's side of the read kit (reads/sql.ts is the server's): filters, full-text
 * search and keyset pages over the cache's read-only connection. Lists are newest first with
 * keyset pagination: the cursor is the last row's (time, rid), so page 1000 costs what page 1
 * costs. Every filter has an index led by its column and ending in time.
 */

export interface Page<T> {
  rows: T[]
  /** Pass back to get the next page; null on the last one. */
  nextCursor: string | null
}

/**
 * Up to this many matches a search sorts them all by time (a few milliseconds); above, matches are
 * dense enough that walking the time index newest first meets a page of them quickly.
 */
const FEW_MATCHES = 20_000

/**
 * Free text becomes an FTS5 query of quoted words (every word must occur), so no user input is
 * read as FTS syntax. A word ending in * matches as a prefix: asked for explicitly, because a
 * prefix merges many terms and makes the newest-first walk below far slower. A word joined by
 * underscores (a JSON key such as client_id) asks for each of its parts, as the tokenizer splits
 * it: the search indexes keep no token positions (cache migration 10), so there are no phrases.
 */
export function toFtsQuery(text: string): string | null {
  const terms = searchTerms(text).map(({ word, prefix }) => (prefix ? `"${word}"*` : `"${word}"`))
  return terms.length === 0 ? null : terms.join(' ')
}

export class CacheWhere {
  private readonly clauses: string[] = []
  readonly params: unknown[] = []

  eq(column: string, value: string | undefined): this {
    if (value !== undefined) {
      this.clauses.push(`${column} = ?`)
      this.params.push(value)
    }
    return this
  }

  /** ISO timestamps, inclusive from, exclusive to. */
  timeRange(column: string, range: { from?: string; to?: string }): void {
    if (range.from !== undefined) {
      this.clauses.push(`${column} >= ?`)
      this.params.push(millis(range.from))
    }
    if (range.to !== undefined) {
      this.clauses.push(`${column} < ?`)
      this.params.push(millis(range.to))
    }
  }

  /**
   * A rare term is looked up in the index and its few rows sorted by time; a common one would
   * make that sort huge, so the time index is walked instead and each row is checked against the
   * full-text index by rowid until the page is full.
   */
  fullText(db: CacheDb, fts: string, rowid: string, text: string, purpose: 'page' | 'count'): void {
    const query = toFtsQuery(text)
    if (query === null) {
      this.clauses.push('0')
      return
    }
    if (purpose === 'count') {
      // Counting needs every match anyway: one pass over the index, no per-row probes.
      this.clauses.push(`${rowid} IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?)`)
      this.params.push(query)
      return
    }
    const matches = db.prepare(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? LIMIT ?`).pluck().all(query, FEW_MATCHES + 1) as number[]
    if (matches.length <= FEW_MATCHES) {
      this.clauses.push(`${rowid} IN (SELECT value FROM json_each(?))`)
      this.params.push(JSON.stringify(matches))
    } else {
      this.clauses.push(`EXISTS (SELECT 1 FROM ${fts} f WHERE f.${fts} MATCH ? AND f.rowid = ${rowid})`)
      this.params.push(query)
    }
  }

  before(timeColumn: string, ridColumn: string, cursor: string | null): void {
    if (cursor === null) return
    const [time, rid] = decodeCursor(cursor)
    this.clauses.push(`(${timeColumn} < ? OR (${timeColumn} = ? AND ${ridColumn} < ?))`)
    this.params.push(time, time, rid)
  }

  sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : ''
  }
}

export function pageOf<R extends { rid: number }, T>(rows: R[], limit: number, time: (r: R) => number, map: (r: R) => T): Page<T> {
  const last = rows[rows.length - 1]
  return { rows: rows.map(map), nextCursor: rows.length === limit && last ? `${time(last)}.${last.rid}` : null }
}

function decodeCursor(cursor: string): [number, number] {
  const match = /^(-?\d+)\.(\d+)$/.exec(cursor)
  if (!match) throw new RpcError('BAD_INPUT', 'The page cursor is not one this list returned.')
  return [Number(match[1]), Number(match[2])]
}

function millis(isoTime: string): number {
  const ms = Date.parse(isoTime)
  if (Number.isNaN(ms)) throw new RpcError('BAD_INPUT', `Not a valid time: ${isoTime}`)
  return ms
}

/** The cache stores JSON columns as text. */
export const parseCachedJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text))
