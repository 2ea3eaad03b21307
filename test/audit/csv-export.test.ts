import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProgressEvent } from '../../src/shared/events'
import type { AuditDetail, AuditRow } from '../../src/shared/rpc/areas/audit'
import type { ExportStarted } from '../../src/shared/rpc/exports'
import { csvCell, csvRow, UTF8_BOM } from '../../src/main/csv'
import { AUDIT_CSV_HEADER } from '../../src/main/domains/audit/export'
import { parseCsv } from '../helpers/csv'
import { makeOperator, makeTenants, withAdmin } from '../helpers/db'
import { allPages, fillScreensData, startSyncedConsoles, type ScreensConsole, type SyncedConsoles } from '../executions/fixture'

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

describe('audit.export, through the one export path', () => {
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

  /** The finished file as the delivery (download or save dialog) reads it, then removed like a delivered one. */
  async function finishedFile(side: ScreensConsole, started: ExportStarted): Promise<Buffer> {
    const exports = side.handle.backend.exports
    await exports.settled(started.exportId)
    const bytes = await readFile(exports.ready(started.exportId).file)
    await exports.remove(started.exportId)
    return bytes
  }

  it('exports exactly the filtered view, newest first, values as JSON, formulas defused, with progress', async () => {
    // Unfiltered: big enough for more than one 1 MiB chunk (the filtered cases follow).
    const filter = {}
    const started = await online.ok<ExportStarted>('audit.export', { filter, jobId: 'export-job-1' })
    const bytes = await finishedFile(online, started)
    expect(started.fileName).toMatch(/^audit-log-\d{8}-\d{6}\.csv$/)
    const text = bytes.toString('utf8')
    expect(text.startsWith(UTF8_BOM)).toBe(true)
    const [header, ...rows] = parseCsv(text.slice(1))
    expect(header).toEqual([...AUDIT_CSV_HEADER])

    const listed = await allPages<AuditRow>(online.ok, 'audit.list', { filter, limit: 500, source: 'server' })
    expect(started.total).toBe(listed.rows.length)
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
    expect(progress[0]).toMatchObject({ kind: 'export', done: 0, total: started.total })
    expect(progress.at(-1)).toMatchObject({ finished: true, done: rows.length, total: rows.length })
    expect(progress.filter((e) => e.finished)).toHaveLength(1)
    expect(progress.map((e) => e.done)).toEqual([...progress.map((e) => e.done)].sort((a, b) => a - b))
    expect(progress.length).toBeGreaterThan(3)

    // Delivered: nothing of the export stays on disk, and it cannot be fetched twice.
    expect(existsSync(path.join(online.dataDir, 'exports', started.exportId))).toBe(false)
    expect(() => online.handle.backend.exports.ready(started.exportId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('offline exports the same file from the cache', async () => {
    const filter = { tenantId: tenants[1], text: 'growth' }
    const server = await finishedFile(online, await online.ok<ExportStarted>('audit.export', { filter, jobId: 'export-server', source: 'server' }))
    const cache = await finishedFile(offline, await offline.ok<ExportStarted>('audit.export', { filter, jobId: 'export-cache' }))
    expect(parseCsv(cache.toString('utf8').slice(1)).length).toBeGreaterThan(100)
    expect(cache.equals(server)).toBe(true)
  })

  it('refuses a bad filter or job id with a typed error, before any job starts', async () => {
    const before = online.events.length
    expect(await online.call('audit.export', { filter: { action: 'DROP' }, jobId: 'export-bad-filter' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(await online.call('audit.export', { filter: {}, jobId: 'no spaces allowed' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(online.events.slice(before).filter((e) => e.type === 'progress' && e.kind === 'export')).toEqual([])
  })
})
