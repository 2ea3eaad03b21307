import { RpcError } from '../../shared/rpc/errors'
import type { DataSource } from '../../shared/rpc/list'

/**
 * Page cursors name their source: a server cursor is the last row's (time to the microsecond, id),
 * a cache cursor is the cache's own. A cursor of the other source means the list changed sides
 * (the connection dropped or came back) and must be reloaded from its first page.
 */
export interface ServerCursor {
  at: string
  id: string
}

const SERVER_CURSOR = /^s\|(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

export function encodeServerCursor(cursor: ServerCursor): string {
  return `s|${cursor.at}|${cursor.id}`
}

export function encodeCacheCursor(cursor: string | null): string | null {
  return cursor === null ? null : `c|${cursor}`
}

export function decodeServerCursor(cursor: string | null): ServerCursor | null {
  if (cursor === null) return null
  const match = SERVER_CURSOR.exec(cursor)
  if (!match) throw cursorError('server', cursor)
  return { at: match[1]!, id: match[2]! }
}

export function decodeCacheCursor(cursor: string | null): string | null {
  if (cursor === null) return null
  if (!cursor.startsWith('c|')) throw cursorError('cache', cursor)
  return cursor.slice(2)
}

function cursorError(source: DataSource, cursor: string): RpcError {
  const other = cursor.startsWith('s|') || cursor.startsWith('c|')
  return new RpcError(
    other ? 'CONFLICT' : 'BAD_INPUT',
    other ? `The list now comes from the ${source === 'server' ? 'database' : 'offline cache'}: reload it from the first page.` : 'The page cursor is not one this list returned.'
  )
}
