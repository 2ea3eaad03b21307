import { describe, expect, it } from 'vitest'
import type { ProgressEvent } from '../../src/shared/events'
import { formatRelative } from '../../src/renderer/src/i18n/format'
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
