import type { CopyValue } from '../copy-text'

export type Row = Record<string, CopyValue>

/** One COPY into one table. `planned` is known before the first row so the progress bar has an ETA. */
export interface TableLoad {
  table: string
  planned: number
  /** Rows as objects keyed by column name; every row of a table has the same keys. */
  rows(): Iterable<Row>
}
