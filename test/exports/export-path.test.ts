import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProgressEvent } from '../../src/shared/events'
import { UTF8_BOM } from '../../src/main/csv'
import { createExportJobs, type CsvEntry, type ExportJobs, type ZipEntry } from '../../src/main/exports/jobs'
import { saveExport } from '../../src/main/exports/save'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { createEventHub } from '../../src/main/rpc/events'
import { handlers } from '../../src/main/rpc/handlers'
import { startServer, type RunningServer } from '../../src/main/server/server'
import { parseCsv } from '../helpers/csv'
import { unzip } from '../helpers/zip'
import { fixedBackend } from '../rpc/fixed-backend'

const HEADER = ['id', 'name', 'note'] as const
/** Cells a spreadsheet would run as formulas, and cells that need quoting. */
const NASTY = ['=HYPERLINK("http://evil")', '+cmd|calc', '-2+3', '@SUM(A1)', '\t=x', 'a,"b"\r\nc', ' padded ']

function rowsOf(pages: number, perPage: number): string[][][] {
  return Array.from({ length: pages }, (_, p) => Array.from({ length: perPage }, (_, i) => [`${p}-${i}`, NASTY[(p * perPage + i) % NASTY.length]!, 'ñandú ✓ '.repeat(20)]))
}

function entry(pages: string[][][], options: { fail?: Error; gate?: Promise<void> } = {}): CsvEntry {
  return {
    name: 'things.csv',
    header: HEADER,
    total: pages.flat().length,
    async *pages() {
      for (const [index, page] of pages.entries()) {
        if (index === 1 && options.gate) await options.gate
        if (index === 1 && options.fail) throw options.fail
        yield page
      }
    }
  }
}

let dir: string
let jobs: ExportJobs
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'export-path-'))
  jobs = createExportJobs(dir)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(pages: string[][][], jobId: string, options: Parameters<typeof entry>[1] = {}) {
  const events: ProgressEvent[] = []
  const started = await jobs.start({ jobId, label: 'Exporting things', doneLabel: 'Things exported', entries: [entry(pages, options)] }, (e) => events.push(e))
  return { started, events }
}

describe('export jobs', () => {
  it('write the CSV in the background: parsed back it holds every row, formulas defused, with progress per page', async () => {
    const pages = rowsOf(4, 250)
    const { started, events } = await run(pages, 'export-things-1')
    expect(started).toMatchObject({ fileName: 'things.csv', total: 1000 })
    await jobs.settled(started.exportId)
    const ready = jobs.ready(started.exportId)
    const text = await readFile(ready.file, 'utf8')
    expect(ready.bytes).toBe(statSync(ready.file).size)
    expect(statSync(ready.file).mode & 0o777).toBe(0o600)
    expect(text.startsWith(UTF8_BOM)).toBe(true)
    const [header, ...rows] = parseCsv(text.slice(1))
    expect(header).toEqual([...HEADER])
    expect(rows).toEqual(pages.flat().map(([id, name, note]) => [id, /^[=+\-@\t\r]/.test(name!) ? `'${name}` : name, note]))
    for (const row of rows) expect(row[1]).not.toMatch(/^[=+\-@\t\r]/)
    expect(events.map((e) => [e.done, e.total, e.finished ?? false])).toEqual([
      [0, 1000, false],
      [250, 1000, false],
      [500, 1000, false],
      [750, 1000, false],
      [1000, 1000, false],
      [1000, 1000, true]
    ])
    expect(new Set(events.map((e) => `${e.type}/${e.kind}/${e.jobId}`))).toEqual(new Set(['progress/export/export-things-1']))
    await jobs.remove(started.exportId)
    expect(existsSync(path.dirname(ready.file))).toBe(false)
  })

  it('are not ready while writing (CONFLICT), and a failed one reports its error once and leaves nothing on disk', async () => {
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const { started, events } = await run(rowsOf(3, 10), 'export-things-2', { gate, fail: new Error('the database went away') })
    expect(() => jobs.ready(started.exportId)).toThrow(expect.objectContaining({ code: 'CONFLICT', retryable: true }))
    open()
    await jobs.settled(started.exportId)
    expect(events.at(-1)).toMatchObject({ finished: true, error: 'the database went away' })
    expect(events.filter((e) => e.finished)).toHaveLength(1)
    expect(() => jobs.ready(started.exportId)).toThrow(expect.objectContaining({ code: 'INVALID' }))
    expect(readdirSync(path.join(dir, 'exports'))).not.toContain(started.exportId)
  })

  it('pack several files into one ZIP, each streamed page by page, with a manifest of their SHA-256 and the generation time', async () => {
    const pages = rowsOf(3, 200)
    async function* jsonPages() {
      for (const page of pages) yield page.map(([id, name]) => ({ id, name }))
    }
    const zip: ZipEntry = {
      kind: 'zip',
      name: 'bundle.zip',
      total: 1200,
      async write(sink) {
        await sink.json('things.json', jsonPages())
        await sink.json('nothing.json', (async function* () {})())
        await sink.csv('things.csv', HEADER, entry(pages).pages())
      }
    }
    const events: ProgressEvent[] = []
    const started = await jobs.start({ jobId: 'export-zip-1', label: 'Bundling', doneLabel: 'Bundled', entries: [zip] }, (e) => events.push(e))
    expect(started).toMatchObject({ fileName: 'bundle.zip', total: 1200 })
    await jobs.settled(started.exportId)
    const files = await unzip(jobs.ready(started.exportId).file)
    expect([...files.keys()]).toEqual(['things.json', 'nothing.json', 'things.csv', 'manifest.json'])
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { generatedAt: string; files: { name: string; sha256: string; bytes: number }[] }
    expect(Math.abs(Date.parse(manifest.generatedAt) - Date.now())).toBeLessThan(60_000)
    expect(manifest.files).toEqual(
      ['things.json', 'nothing.json', 'things.csv'].map((name) => ({ name, sha256: createHash('sha256').update(files.get(name)!).digest('hex'), bytes: files.get(name)!.length }))
    )
    expect(JSON.parse(files.get('things.json')!.toString('utf8'))).toEqual(pages.flat().map(([id, name]) => ({ id, name })))
    expect(JSON.parse(files.get('nothing.json')!.toString('utf8'))).toEqual([])
    const csv = parseCsv(files.get('things.csv')!.toString('utf8').slice(UTF8_BOM.length))
    expect(csv).toHaveLength(601)
    expect(csv[1]![1]).toBe(`'${NASTY[0]}`)
    // Progress per page of every file, then one finished event.
    expect(events.filter((e) => !e.finished).map((e) => e.done)).toEqual([0, 200, 400, 600, 800, 1000, 1200])
    expect(events.at(-1)).toMatchObject({ finished: true, done: 1200, label: 'Bundled' })
    await jobs.remove(started.exportId)
  })

  it('fail a ZIP whose file cannot be read to its end: one error event, nothing left on disk', async () => {
    const events: ProgressEvent[] = []
    const zip: ZipEntry = {
      kind: 'zip',
      name: 'broken.zip',
      total: null,
      async write(sink) {
        await sink.json('first.json', (async function* () { yield [{ a: 1 }] })())
        await sink.csv('second.csv', HEADER, entry(rowsOf(3, 5), { fail: new Error('the cursor was closed') }).pages())
      }
    }
    const started = await jobs.start({ jobId: 'export-zip-2', label: 'Bundling', doneLabel: 'Bundled', entries: [zip] }, (e) => events.push(e))
    await jobs.settled(started.exportId)
    expect(events.filter((e) => e.finished)).toEqual([expect.objectContaining({ error: 'the cursor was closed' })])
    expect(() => jobs.ready(started.exportId)).toThrow(expect.objectContaining({ code: 'INVALID' }))
    expect(readdirSync(path.join(dir, 'exports'))).not.toContain(started.exportId)
  })

  it('answer NOT_FOUND for an export that never existed', () => {
    expect(() => jobs.ready('00000000-0000-4000-8000-000000000000')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})

describe('delivery in browser mode: GET /exports/<id>', () => {
  let server: RunningServer
  let staticDir: string
  beforeAll(async () => {
    staticDir = mkdtempSync(path.join(tmpdir(), 'export-static-'))
    const hub = createEventHub()
    server = await startServer({ dispatch: createDispatcher(handlers, () => ({ backend: fixedBackend(), emit: hub.emit })), events: hub, staticDir, exports: jobs })
  })
  afterAll(async () => {
    await server.close()
    rmSync(staticDir, { recursive: true, force: true })
  })
  const get = (exportId: string, headers: Record<string, string> = { authorization: `Bearer ${server.token}` }) => fetch(`${server.origin}/exports/${exportId}`, { headers })

  it('streams the file in several chunks, byte for byte, as an attachment, then removes it', async () => {
    const { started } = await run(rowsOf(8, 500), 'export-things-3')
    await jobs.settled(started.exportId)
    const file = await readFile(jobs.ready(started.exportId).file)
    expect(file.length).toBeGreaterThan(4 * 64 * 1024)

    const response = await get(started.exportId)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="things.csv"')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const chunks: Uint8Array[] = []
    const reader = response.body!.getReader()
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value)
    expect(chunks.length).toBeGreaterThan(1)
    expect(Buffer.concat(chunks).equals(file)).toBe(true)

    expect((await get(started.exportId)).status).toBe(404)
  })

  it('needs the console token like every RPC call, and refuses unknown, malformed and unfinished exports with typed errors', async () => {
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const { started } = await run(rowsOf(2, 10), 'export-things-4', { gate })
    const noToken = await get(started.exportId, {})
    expect(noToken.status).toBe(401)
    expect(await noToken.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect((await get(started.exportId, { authorization: 'Bearer wrong' })).status).toBe(401)

    const writing = await get(started.exportId)
    expect(writing.status).toBe(409)
    expect(await writing.json()).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    open()
    await jobs.settled(started.exportId)

    const malformed = await get('..%2F..%2Fetc%2Fpasswd')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect((await get('00000000-0000-4000-8000-000000000000')).status).toBe(404)
    expect((await fetch(`${server.origin}/exports/${started.exportId}`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } })).status).toBe(405)
    expect((await get(started.exportId)).status).toBe(200)
  })
})

describe('delivery in Electron: exports.save through the save dialog', () => {
  it('copies the finished file where the person chose, or keeps it when the dialog is cancelled', async () => {
    const { started } = await run(rowsOf(2, 50), 'export-things-5')
    await jobs.settled(started.exportId)
    const original = await readFile(jobs.ready(started.exportId).file)
    const suggested: string[] = []

    expect(await saveExport(jobs, async (name) => (suggested.push(name), null), started.exportId)).toEqual({ saved: false })
    expect(jobs.ready(started.exportId).bytes).toBe(original.length)

    const target = path.join(dir, 'chosen by the person.csv')
    expect(await saveExport(jobs, async (name) => (suggested.push(name), target), started.exportId)).toEqual({ saved: true, fileName: 'chosen by the person.csv' })
    expect((await readFile(target)).equals(original)).toBe(true)
    expect(suggested).toEqual(['things.csv', 'things.csv'])
    expect(() => jobs.ready(started.exportId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('is refused with a typed error where there is no dialog (browser mode), and for a malformed id', async () => {
    const dispatch = createDispatcher(handlers, () => ({ backend: { ...fixedBackend(), exports: jobs, chooseSaveFile: null }, emit: () => {} }))
    expect(await dispatch('exports.save', { exportId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    expect(await dispatch('exports.save', { exportId: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })
})
