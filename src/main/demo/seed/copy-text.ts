/**
 * PostgreSQL COPY text format (the default of COPY … FROM STDIN): one row per line, columns
 * separated by tabs, NULL written as \N, and backslash escapes for the characters that would
 * otherwise end a field or a row. A value that is not escaped correctly does not fail loudly: it
 * shifts every following column, so this module is small and tested on its own.
 */

/** A PostgreSQL array literal for text[]/int[] columns; plain JS arrays and objects are written as JSON. */
export class PgArray {
  constructor(readonly items: readonly (string | number | null)[]) {}
}

export function pgArray(items: readonly (string | number | null)[]): PgArray {
  return new PgArray(items)
}

export type CopyValue = string | number | bigint | boolean | Date | null | undefined | PgArray | object

export class CopyEncodingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CopyEncodingError'
  }
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v'
}

const NEEDS_ESCAPE = /[\\\t\n\r\b\f\v]/g

/** Escapes one already-stringified field for the text format. */
export function escapeCopyText(text: string): string {
  // PostgreSQL text columns cannot hold NUL; refusing here gives a clear error instead of a
  // server-side "invalid byte sequence" in the middle of a million-row stream.
  if (text.includes('\u0000')) throw new CopyEncodingError('NUL character in a COPY value')
  return text.replace(NEEDS_ESCAPE, (ch) => ESCAPES[ch]!)
}

function arrayElement(item: string | number | null): string {
  if (item === null) return 'NULL'
  if (typeof item === 'number') return String(item)
  return `"${item.replace(/["\\]/g, (ch) => `\\${ch}`)}"`
}

/** The textual form PostgreSQL parses for the value, before COPY escaping. */
function literal(value: Exclude<CopyValue, null | undefined>): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CopyEncodingError(`non-finite number ${value} in a COPY value`)
    return String(value)
  }
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CopyEncodingError('invalid Date in a COPY value')
    return value.toISOString()
  }
  if (value instanceof PgArray) return `{${value.items.map(arrayElement).join(',')}}`
  return JSON.stringify(value)
}

export function encodeCopyValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N'
  return escapeCopyText(literal(value))
}

/** One complete line, newline included. */
export function encodeCopyRow(values: readonly CopyValue[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t'
    line += encodeCopyValue(values[i])
  }
  return line + '\n'
}
