import { describe, expect, it } from 'vitest'
import type { ProgressEvent } from '../../src/shared/events'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { formatDay, formatMoney, formatPercent, formatRelative } from '../../src/renderer/src/i18n/format'
import { fractionOf, upsertJob } from '../../src/renderer/src/stores/progress'

describe('relative time', () => {
  const now = new Date('2025-03-10T12:00:00Z')

  it('says "now" for the last few seconds', () => {
    expect(formatRelative('2025-03-10T11:59:40Z', now, 'en')).toBe('now')
    expect(formatRelative('2025-03-10T11:59:40Z', now, 'es')).toBe('ahora')
  })

  it('uses the largest unit that fits, in each language', () => {
    expect(formatRelative('2025-03-10T11:55:00Z', now, 'en')).toBe('5 minutes ago')
    expect(formatRelative('2025-03-10T11:55:00Z', now, 'es')).toBe('hace 5 minutos')
    expect(formatRelative('2025-03-10T09:00:00Z', now, 'en')).toBe('3 hours ago')
    expect(formatRelative('2025-03-09T12:00:00Z', now, 'en')).toBe('yesterday')
    expect(formatRelative('2025-03-09T12:00:00Z', now, 'es')).toBe('ayer')
  })
})

describe('numbers and dates as one class (issue 15)', () => {
  const root = join(__dirname, '../../src/renderer/src')
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : []))

  it('builds number and date formatters only in i18n/format.ts, so every screen writes them alike', () => {
    const own = /new Intl\.(NumberFormat|DateTimeFormat)\b|\.toLocale(String|DateString|TimeString)\(/
    const offenders = files(root)
      .filter((file) => relative(root, file) !== join('i18n', 'format.ts'))
      .filter((file) => own.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(offenders).toEqual([])
  })

  it('keeps money exact: a decimal string is never rounded through a float', () => {
    // Beyond 2^53 a float would read 9,007,199,254,740,992.00.
    expect(formatMoney('9007199254740993.01', 'USD', 'en')).toBe('$9,007,199,254,740,993.01')
    expect(formatMoney('0.10', 'EUR', 'es')).toBe('0,10\u00a0€')
    expect(formatPercent(0.125, 'es', { maximumFractionDigits: 1 })).toBe('12,5\u00a0%')
    expect(formatDay('2026-12-02T23:30:00Z', 'en', 'long')).toBe('December 2, 2026')
  })
})

describe('progress jobs', () => {
  const job = (patch: Partial<ProgressEvent>): ProgressEvent => ({ type: 'progress', jobId: 'sync', kind: 'sync', label: 'Sync', done: 0, total: 100, ...patch })

  it('replaces a job by id and appends new ones in arrival order', () => {
    let jobs = upsertJob([], job({ done: 10 }))
    jobs = upsertJob(jobs, job({ jobId: 'export', kind: 'export', done: 1 }))
    jobs = upsertJob(jobs, job({ done: 40 }))
    expect(jobs.map((j) => [j.jobId, j.done])).toEqual([
      ['sync', 40],
      ['export', 1]
    ])
  })

  it('is indeterminate without a total and full when finished', () => {
    expect(fractionOf(job({ done: 25 }))).toBe(0.25)
    expect(fractionOf(job({ done: 25, total: null }))).toBeNull()
    expect(fractionOf(job({ done: 0, total: 0 }))).toBeNull()
    expect(fractionOf(job({ done: 120 }))).toBe(1)
    expect(fractionOf(job({ done: 3, total: null, finished: true }))).toBe(1)
  })
})
