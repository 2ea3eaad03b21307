import { existsSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProgressEvent } from '../../src/shared/events'
import type { AuditDetail, AuditRow, ExportChunk, ExportStarted } from '../../src/shared/rpc/areas/audit'
import { csvCell, csvRow, UTF8_BOM } from '../../src/main/csv'
import { AUDIT_CSV_HEADER } from '../../src/main/domains/audit/export'
import { makeOperator, makeTenants, withAdmin } from '../helpers/db'
import { allPages, fillScreensData, startSyncedConsoles, type ScreensConsole, type SyncedConsoles } from '../executions/fixture'

/** An RFC 4180 reader, written independently of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  if (cell !== '' || row.length) throw new Error('the CSV does not end with CRLF')
  return rows
}

describe('CSV cells', () => {
  it('round-trip any text, with formulas defused by a leading apostrophe', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('=1+1', '+cmd', '-2', '@SUM(A1)', '\t=x', '\r=x', ' a ', 'a"b', 'x,y', 'l1\nl2')), { minLength: 1, maxLength: 6 }), (cells) => {
        const [parsed] = parseCsv(csvRow(cells))
        expect(parsed).toEqual(cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)))
        for (const cell of parsed!) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
      }),
      { numRuns: 500 }
    )
  })

  it('writes JSON for objects, nothing for null, and numbers as text', () => {
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(42)).toBe('42')
    expect(csvCell(-3)).toBe("'-3")
    expect(csvCell({ a: 'x,"y"' })).toBe('"{""a"":""x,\\""y\\""""}"')
  })
})

describe('audit.export and audit.exportChunk', () => {
  const PER_TENANT = 2600
  let tenants: string[]
  let online: ScreensConsole
  let offline: ScreensConsole
  let consoles: SyncedConsoles

  beforeAll(async () => {
    tenants = (await makeTenants(2, 'export')).map((t) => t.id)
    await withAdmin((admin) => fillScreensData(admin, tenants, PER_TENANT))
    const operator = await makeOperator(['support'], tenants)
    consoles = await startSyncedConsoles(operator)
    ;({ online, offline } = consoles)
  })
  afterAll(() => consoles?.close())

  async function download(side: ScreensConsole, started: ExportStarted): Promise<{ bytes: Buffer; chunks: number }> {
    const parts: Buffer[] = []
    let offset: number | null = 0
    while (offset !== null) {
      const chunk: ExportChunk = await side.ok('audit.exportChunk', { exportId: started.exportId, offset })
      parts.push(Buffer.from(chunk.data, 'base64'))
      offset = chunk.nextOffset
    }
    return { bytes: Buffer.concat(parts), chunks: parts.length }
  }

  it('exports exactly the filtered view, newest first, values as JSON, formulas defused, with progress', async () => {
    // Unfiltered: big enough for more than one 1 MiB chunk (the filtered cases follow).
    const filter = {}
    const started = await online.ok<ExportStarted>('audit.export', { filter, jobId: 'export-job-1' })
    const { bytes, chunks } = await download(online, started)
    expect(bytes.length).toBe(started.bytes)
    expect(chunks).toBeGreaterThan(1)
    const text = bytes.toString('utf8')
    expect(text.startsWith(UTF8_BOM)).toBe(true)
    const [header, ...rows] = parseCsv(text.slice(1))
    expect(header).toEqual([...AUDIT_CSV_HEADER])

    const listed = await allPages<AuditRow>(online.ok, 'audit.list', { filter, limit: 500, source: 'server' })
    expect(started.rows).toBe(listed.rows.length)
    expect(rows.map((r) => r[8])).toEqual(listed.rows.map((r) => r.id))
    expect(rows.map((r) => r[2])).toEqual(listed.rows.map((r) => (r.actor.startsWith('=') ? `'${r.actor}` : r.actor)))
    expect(rows.some((r) => r[2] === "'=SUM(A1:A9)")).toBe(true)

    for (const index of [0, 7, rows.length - 1]) {
      const { entry } = await online.ok<{ entry: AuditDetail }>('audit.get', { tenantId: rows[index]![1], id: rows[index]![8] })
      expect(rows[index]![6] === '' ? null : JSON.parse(rows[index]![6]!)).toEqual(entry.oldValues)
      expect(rows[index]![7] === '' ? null : JSON.parse(rows[index]![7]!)).toEqual(entry.newValues)
      expect(rows[index]![0]).toBe(entry.createdAt)
    }

    const progress = online.events.filter((e): e is ProgressEvent => e.type === 'progress' && e.jobId === 'export-job-1')
    expect(progress[0]).toMatchObject({ kind: 'export', done: 0, total: started.rows })
    expect(progress.at(-1)).toMatchObject({ finished: true, done: started.rows })
    expect(progress.length).toBeGreaterThan(3)

    // The last chunk removed the file: nothing of the export stays on disk.
    expect(existsSync(path.join(online.dataDir, 'exports', `${started.exportId}.csv`))).toBe(false)
    expect(await online.call('audit.exportChunk', { exportId: started.exportId, offset: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('offline exports the same file from the cache', async () => {
    const filter = { tenantId: tenants[1], text: 'growth' }
    const server = await download(online, await online.ok<ExportStarted>('audit.export', { filter, jobId: 'export-server', source: 'server' }))
    const cache = await download(offline, await offline.ok<ExportStarted>('audit.export', { filter, jobId: 'export-cache' }))
    expect(parseCsv(cache.bytes.toString('utf8').slice(1)).length).toBeGreaterThan(100)
    expect(cache.bytes.equals(server.bytes)).toBe(true)
  })

  it('refuses an offset past the end, and keeps the file for a retry', async () => {
    const started = await online.ok<ExportStarted>('audit.export', { filter: { tenantId: tenants[0], actor: 'bob' }, jobId: 'export-offset' })
    expect(await online.call('audit.exportChunk', { exportId: started.exportId, offset: started.bytes + 1 })).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    const { bytes } = await download(online, started)
    expect(bytes.length).toBe(started.bytes)
  })
})
