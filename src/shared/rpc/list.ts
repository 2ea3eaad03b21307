import { z } from 'zod'

/**
 * What every list and record procedure shares, whatever its area: where the answer came from, and
 * keyset pages over it. Areas import these from here, never from one another.
 */

/**
 * Where a list or record came from: the live database, or the offline cache (as of its last sync).
 * 'auto' reads the server while online and the cache otherwise.
 */
export const dataSourceSchema = z.enum(['auto', 'server', 'cache'])
export type DataSourceChoice = z.infer<typeof dataSourceSchema>
export type DataSource = Exclude<DataSourceChoice, 'auto'>

/** Opaque keyset cursor handed out by a previous page of the same list and source. */
export const pageCursorSchema = z.string().min(1).max(200)

/** The longest search text any search procedure takes (the renderer's search boxes say so past it). */
export const SEARCH_MAX = 200

/** Free text for full-text search: words only matter, so an upper bound is enough. */
export const searchTextSchema = z.string().trim().min(1).max(SEARCH_MAX)

export const listPageSchema = {
  cursor: pageCursorSchema.nullable().default(null),
  limit: z.number().int().min(1).max(500).default(100),
  source: dataSourceSchema.default('auto')
}

/** Every answer says where it came from, and for the cache as of when. */
export interface Sourced {
  source: DataSource
  /** The cache's last completed sync (ISO), for source 'cache'; null for the server. */
  syncedAt: string | null
}

export interface ListPage<T> extends Sourced {
  rows: T[]
  nextCursor: string | null
}
