import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ZipFile } from 'yazl'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { once } from 'node:events'
import path from 'node:path'
import type { ProgressEvent } from '../../shared/events'
import type { ExportStarted } from '../../shared/rpc/exports'
import { RpcError } from '../../shared/rpc/errors'
import { csvRow, UTF8_BOM } from '../csv'
import { redactSecrets } from '../rpc/describe-error'

/**
 * One named file of an export, written page by page as CSV (formula-safe, src/main/csv.ts), so a
 * million rows never sit in memory.
 */
export interface CsvEntry {
  /** The file's name, e.g. audit-log-20260101-120000.csv. */
  name: string
  header: readonly string[]
  /** Rows the entry will hold, when known before writing. */
  total: number | null
  /** The rows, a page at a time; read in the background, after the export procedure returned. */
  pages(): AsyncIterable<readonly (readonly unknown[])[]>
}

/** Where a ZIP entry's files go: each is streamed into the archive and hashed on the way. */
export interface ZipSink {
  /** A JSON array of `rows`, written a page at a time. Resolves once the file is in the archive. */
  json(name: string, pages: AsyncIterable<readonly unknown[]>): Promise<void>
  /** A CSV file (formula-safe, src/main/csv.ts). Resolves once the file is in the archive. */
  csv(name: string, header: readonly string[], pages: AsyncIterable<readonly (readonly unknown[])[]>): Promise<void>
}

/**
 * Several files as one ZIP with a manifest.json (each file's SHA-256 and size, the generation
 * time). `write` adds the files one after the other (so one database transaction can serve them
 * all); nothing is held in memory beyond the page being written.
 */
export interface ZipEntry {
  kind: 'zip'
  /** The archive's name, e.g. access-export-20260101-120000.zip. */
  name: string
  /** Rows the files will hold, when known before writing. */
  total: number | null
  write(sink: ZipSink): Promise<void>
}

export interface ManifestFile {
  name: string
  sha256: string
  bytes: number
}

export interface ExportSpec {
  /** The renderer's job id: its progress events carry it. */
  jobId: string
  label: string
  doneLabel: string
  /** One CSV file, or a ZIP of several files. */
  entries: [CsvEntry] | [ZipEntry]
}

/** A finished export, ready to be delivered (served over HTTP or saved through a dialog). */
export interface ReadyExport {
  file: string
  fileName: string
  bytes: number
}

export interface ExportJobs {
  /** Starts writing in the background and returns at once; progress and the end arrive as events. */
  start(spec: ExportSpec, emit: (event: ProgressEvent) => void): Promise<ExportStarted>
  /** Resolves when the job has written its file or failed (its last event has gone out). */
  settled(exportId: string): Promise<void>
  /** The finished file. NOT_FOUND for an unknown or delivered export, CONFLICT while still writing, INVALID when it failed. */
  ready(exportId: string): ReadyExport
  /** Removes a delivered export's file. */
  remove(exportId: string): Promise<void>
}

/** Exports nobody fetched are removed after this long. */
const EXPORT_TTL_MS = 60 * 60 * 1000

type Job = { state: 'writing' | 'ready'; dir: string; fileName: string; bytes: number; settled: Promise<void> } | { state: 'failed'; error: string; settled: Promise<void> }

/**
 * The export jobs of one console: each writes into its own folder under <dataDir>/exports (0700,
 * files 0600), which is removed once delivered, on failure, or an hour later if never fetched.
 */
export function createExportJobs(dataDir: string): ExportJobs {
  const root = path.join(dataDir, 'exports')
  const jobs = new Map<string, Job>()

  async function removeStale(): Promise<void> {
    const now = Date.now()
    for (const name of await readdir(root)) {
      const info = await stat(path.join(root, name)).catch(() => null)
      if (info && now - info.mtimeMs > EXPORT_TTL_MS) {
        jobs.delete(name)
        await rm(path.join(root, name), { recursive: true, force: true })
      }
    }
  }

  async function write(spec: ExportSpec, dir: string, emit: (event: ProgressEvent) => void): Promise<{ rows: number; bytes: number }> {
    const [entry] = spec.entries
    if ('kind' in entry) return writeZip(spec, entry, dir, emit)
    const file = path.join(dir, entry.name)
    const progress = (done: number, extra: Partial<ProgressEvent> = {}) =>
      emit({ type: 'progress', jobId: spec.jobId, kind: 'export', label: spec.label, done, total: entry.total, ...extra })
    const out = createWriteStream(file, { mode: 0o600 })
    const put = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain')
    }
    let rows = 0
    try {
      await put(UTF8_BOM + csvRow(entry.header))
      for await (const page of entry.pages()) {
        for (const row of page) await put(csvRow(row))
        rows += page.length
        progress(rows)
      }
      out.end()
      await once(out, 'finish')
    } catch (error) {
      out.destroy()
      throw error
    }
    return { rows, bytes: (await stat(file)).size }
  }

  async function writeZip(spec: ExportSpec, entry: ZipEntry, dir: string, emit: (event: ProgressEvent) => void): Promise<{ rows: number; bytes: number }> {
    const file = path.join(dir, entry.name)
    const zip = new ZipFile()
    const written = pipeline(zip.outputStream as NodeJS.ReadableStream & Readable, createWriteStream(file, { mode: 0o600 }))
    // A failed write must not leave the pipeline's rejection unobserved while the files are added.
    written.catch(() => undefined)
    const manifest: ManifestFile[] = []
    let rows = 0
    const add = (name: string, chunks: AsyncIterable<string>) =>
      new Promise<void>((resolve, reject) => {
        const hash = createHash('sha256')
        let bytes = 0
        async function* hashed() {
          for await (const chunk of chunks) {
            const buffer = Buffer.from(chunk, 'utf8')
            hash.update(buffer)
            bytes += buffer.length
            yield buffer
          }
        }
        const source = Readable.from(hashed())
        source.once('error', reject)
        // yazl reads the stream to its end before it moves on: then the hash is complete.
        source.once('end', () => {
          manifest.push({ name, sha256: hash.digest('hex'), bytes })
          resolve()
        })
        zip.addReadStream(source, name)
      })
    const progress = (count: number) => {
      rows += count
      emit({ type: 'progress', jobId: spec.jobId, kind: 'export', label: spec.label, done: rows, total: entry.total })
    }
    const sink: ZipSink = {
      json(name, pages) {
        return add(
          name,
          (async function* () {
            let first = true
            yield '['
            for await (const page of pages) {
              for (const row of page) {
                yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`
                first = false
              }
              progress(page.length)
            }
            yield first ? ']\n' : '\n]\n'
          })()
        )
      },
      csv(name, header, pages) {
        return add(
          name,
          (async function* () {
            yield UTF8_BOM + csvRow(header)
            for await (const page of pages) {
              yield page.map(csvRow).join('')
              progress(page.length)
            }
          })()
        )
      }
    }
    try {
      await entry.write(sink)
      const body = JSON.stringify({ generatedAt: new Date().toISOString(), files: manifest }, null, 2)
      zip.addBuffer(Buffer.from(`${body}\n`, 'utf8'), 'manifest.json')
      zip.end()
      await written
    } catch (error) {
      ;(zip.outputStream as Readable).destroy()
      throw error
    }
    return { rows, bytes: (await stat(file)).size }
  }

  return {
    async start(spec, emit) {
      await mkdir(root, { recursive: true, mode: 0o700 })
      await removeStale()
      const exportId = randomUUID()
      const dir = path.join(root, exportId)
      await mkdir(dir, { mode: 0o700 })
      const [entry] = spec.entries
      emit({ type: 'progress', jobId: spec.jobId, kind: 'export', label: spec.label, done: 0, total: entry.total })
      const settled = write(spec, dir, emit).then(
        ({ rows, bytes }) => {
          jobs.set(exportId, { state: 'ready', dir, fileName: entry.name, bytes, settled })
          emit({ type: 'progress', jobId: spec.jobId, kind: 'export', label: spec.doneLabel, done: rows, total: rows, finished: true })
        },
        async (error: unknown) => {
          // Never rejects: nobody awaits a background job but settled(), which must not throw.
          await rm(dir, { recursive: true, force: true }).catch(() => undefined)
          const message = redactSecrets(error instanceof Error ? error.message : String(error))
          jobs.set(exportId, { state: 'failed', error: message, settled })
          emit({ type: 'progress', jobId: spec.jobId, kind: 'export', label: spec.label, done: 0, total: entry.total, finished: true, error: message })
        }
      )
      jobs.set(exportId, { state: 'writing', dir, fileName: entry.name, bytes: 0, settled })
      return { exportId, fileName: entry.name, total: entry.total }
    },

    async settled(exportId) {
      await jobs.get(exportId)?.settled
    },

    ready(exportId) {
      const job = jobs.get(exportId)
      if (!job) throw new RpcError('NOT_FOUND', 'This export does not exist (any more); export again.')
      if (job.state === 'failed') throw new RpcError('INVALID', `This export failed: ${job.error}`)
      if (job.state === 'writing') throw new RpcError('CONFLICT', 'This export is still being written; wait for it to finish.', { retryable: true })
      return { file: path.join(job.dir, job.fileName), fileName: job.fileName, bytes: job.bytes }
    },

    async remove(exportId) {
      const job = jobs.get(exportId)
      jobs.delete(exportId)
      if (job && job.state !== 'failed') await rm(job.dir, { recursive: true, force: true })
    }
  }
}
