import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { CopyEncodingError, encodeCopyRow, encodeCopyValue, pgArray, type CopyValue } from '../../src/main/demo/seed/copy-text'
import { copyRows } from '../../src/main/demo/seed/copy-writer'

const TRICKY: string[] = [
  'plain',
  'tab\there',
  'line\nbreak',
  'windows\r\nline',
  'back\\slash',
  '\\N',
  '\\.',
  'ends with backslash\\',
  '\\\\double',
  'ñandú · Clínica Dental Sonrisa · 日本語 · 🚀 · \u200b zero-width',
  'form\ffeed\bbackspace\vvertical',
  '"quoted" and \'single\'',
  '',
  ' leading and trailing spaces '
]

describe('COPY text encoding', () => {
  it('escapes the characters that would end a field or a row', () => {
    expect(encodeCopyValue('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re')
    expect(encodeCopyRow(['x', null, 3, true, false])).toBe('x\t\\N\t3\tt\tf\n')
  })

  it('keeps a literal "\\N" string distinct from NULL', () => {
    expect(encodeCopyValue('\\N')).toBe('\\\\N')
    expect(encodeCopyValue(null)).toBe('\\N')
    expect(encodeCopyValue(undefined)).toBe('\\N')
  })

  it('writes objects as JSON and pgArray as an array literal', () => {
    expect(encodeCopyValue({ a: 'x\ny' })).toBe('{"a":"x\\\\ny"}')
    expect(encodeCopyValue(pgArray(['a b', 'q"uote', null]))).toBe('{"a b","q\\\\"uote",NULL}')
    expect(encodeCopyValue(new Date('2025-01-02T03:04:05.678Z'))).toBe('2025-01-02T03:04:05.678Z')
  })

  it('refuses NUL, non-finite numbers and invalid dates instead of corrupting the stream', () => {
    expect(() => encodeCopyValue('a\u0000b')).toThrow(CopyEncodingError)
    expect(() => encodeCopyValue(Number.NaN)).toThrow(CopyEncodingError)
    expect(() => encodeCopyValue(new Date('nope'))).toThrow(CopyEncodingError)
  })
})

describe('COPY round trip through PostgreSQL', () => {
  const db = inject('db')
  const client = new pg.Client({ connectionString: db.url })

  beforeAll(async () => {
    await client.connect()
    await client.query('CREATE TEMP TABLE copy_probe (n int PRIMARY KEY, t text, j jsonb, a text[], ts timestamptz, b boolean)')
  })
  afterAll(async () => {
    await client.end()
  })

  it('stores every tricky string, JSON document and array exactly', async () => {
    const json = { message: 'HTTP 429\tfrom "api"\nline2 \\ backslash', nested: { emoji: '🚀', list: [1, 'dos', null] } }
    const rows: CopyValue[][] = TRICKY.map((t, n) => [n, t, { text: t, ...json }, pgArray([t, 'x', null]), new Date(Date.UTC(2025, 0, 1, 0, 0, n)), n % 2 === 0])
    rows.push([TRICKY.length, null, null, null, null, null])

    const count = await copyRows(client, 'copy_probe', ['n', 't', 'j', 'a', 'ts', 'b'], rows, { chunkBytes: 64 })
    expect(count).toBe(rows.length)

    const { rows: back } = await client.query('SELECT n, t, j, a, ts, b FROM copy_probe ORDER BY n')
    expect(back).toHaveLength(rows.length)
    TRICKY.forEach((t, n) => {
      expect(back[n].t).toBe(t)
      expect(back[n].j).toEqual({ text: t, ...json })
      expect(back[n].a).toEqual([t, 'x', null])
      expect((back[n].ts as Date).toISOString()).toBe(new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString())
      expect(back[n].b).toBe(n % 2 === 0)
    })
    expect(back[TRICKY.length]).toEqual({ n: TRICKY.length, t: null, j: null, a: null, ts: null, b: null })
  })

  it('streams many rows from a generator and reports progress that adds up', async () => {
    await client.query('CREATE TEMP TABLE copy_bulk (n int, t text)')
    function* many() {
      for (let n = 0; n < 50_000; n++) yield [n, `row ${n}\twith tab`]
    }
    let reported = 0
    const count = await copyRows(client, 'copy_bulk', ['n', 't'], many(), { chunkBytes: 16 * 1024, onRows: (r) => (reported += r) })
    expect(count).toBe(50_000)
    expect(reported).toBe(50_000)
    const { rows } = await client.query("SELECT count(*)::int AS c, count(*) FILTER (WHERE t LIKE '%' || chr(9) || 'with tab')::int AS tabs FROM copy_bulk")
    expect(rows[0]).toEqual({ c: 50_000, tabs: 50_000 })
  })

  it('rejects a row with the wrong number of values and leaves the table unchanged', async () => {
    await client.query('CREATE TEMP TABLE copy_bad (n int, t text)')
    await client.query('BEGIN')
    await expect(copyRows(client, 'copy_bad', ['n', 't'], [[1, 'ok'], [2]])).rejects.toThrow(/2 columns/)
    await client.query('ROLLBACK')
    const { rows } = await client.query('SELECT count(*)::int AS c FROM copy_bad')
    expect(rows[0].c).toBe(0)
  })

  it('surfaces a server-side COPY error (bad value for the column type)', async () => {
    await client.query('CREATE TEMP TABLE copy_typed (n int)')
    await expect(copyRows(client, 'copy_typed', ['n'], [['not a number']])).rejects.toThrow(/invalid input syntax/)
  })
})
