import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ClientBase } from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { encodeCopyRow, type CopyValue } from './copy-text'

export type RowSource = Iterable<readonly CopyValue[]> | AsyncIterable<readonly CopyValue[]>

export interface CopyOptions {
  /** Called after each chunk is handed to the socket with the rows in that chunk. */
  onRows?: (rows: number) => void
  /** Bytes buffered before a chunk is written; bounds memory whatever the row count. */
  chunkBytes?: number
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** `app.audit_logs` → `"app"."audit_logs"`; identifiers never come from user input, but quoting keeps odd names working. */
function quoteQualified(name: string): string {
  return name.split('.').map(quoteIdent).join('.')
}

/**
 * Streams rows into `table` with COPY FROM STDIN. Rows are pulled from the source only as fast
 * as the server accepts them (Readable.from + pipeline honour backpressure), so a generator of
 * millions of rows runs in constant memory. Resolves with the row count the server reports.
 */
export async function copyRows(client: ClientBase, table: string, columns: readonly string[], rows: RowSource, opts: CopyOptions = {}): Promise<number> {
  const chunkBytes = opts.chunkBytes ?? 256 * 1024
  const sql = `COPY ${quoteQualified(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`

  async function* chunks(): AsyncGenerator<string> {
    let buffer = ''
    let pending = 0
    for await (const row of rows) {
      if (row.length !== columns.length) {
        throw new Error(`COPY ${table}: row has ${row.length} values for ${columns.length} columns`)
      }
      buffer += encodeCopyRow(row)
      pending++
      if (buffer.length >= chunkBytes) {
        yield buffer
        opts.onRows?.(pending)
        buffer = ''
        pending = 0
      }
    }
    if (buffer.length > 0) {
      yield buffer
      opts.onRows?.(pending)
    }
  }

  const stream = client.query(copyFrom(sql))
  await pipeline(Readable.from(chunks(), { objectMode: false }), stream)
  return stream.rowCount
}
