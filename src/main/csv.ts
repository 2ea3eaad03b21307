/**
 * CSV as spreadsheets read it (RFC 4180, CRLF rows), for every export of the console. A cell that
 * a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return that
 * some strip first) is prefixed with an apostrophe: audit values and tenant names are typed by
 * people outside the company and must not execute on the reader's machine.
 */
const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (FORMULA_START.test(text)) text = `'${text}`
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

/** Excel reads a CSV as UTF-8 (accents in names) only with this mark first. */
export const UTF8_BOM = '\uFEFF'
