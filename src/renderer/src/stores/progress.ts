import { create } from 'zustand'
import type { ProgressEvent } from '../../../shared/events'

/** A finished bar stays full for a moment so the operator sees it complete rather than vanish. */
const LINGER_MS = 1500

interface ProgressState {
  jobs: ProgressEvent[]
  apply(event: ProgressEvent): void
}

export const useProgress = create<ProgressState>((set) => ({
  jobs: [],
  apply(event) {
    set((state) => ({ jobs: upsertJob(state.jobs, event) }))
    if (event.finished) {
      setTimeout(() => {
        set((state) => ({ jobs: state.jobs.filter((job) => !(job.jobId === event.jobId && job.finished)) }))
      }, LINGER_MS)
    }
  }
}))

export function upsertJob(jobs: readonly ProgressEvent[], event: ProgressEvent): ProgressEvent[] {
  const index = jobs.findIndex((job) => job.jobId === event.jobId)
  if (index === -1) return [...jobs, event]
  return jobs.map((job, i) => (i === index ? event : job))
}

/** 0..1, or null while the total is unknown (the bar is then indeterminate). */
export function fractionOf(job: Pick<ProgressEvent, 'done' | 'total' | 'finished'>): number | null {
  if (job.finished) return 1
  if (job.total === null || job.total <= 0) return null
  return Math.min(1, Math.max(0, job.done / job.total))
}
