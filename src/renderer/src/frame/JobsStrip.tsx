import { frameCatalog } from '../i18n/catalog'
import { useT } from '../i18n/useT'
import { useProgress } from '../stores/progress'
import { ProgressBar } from '../components/ProgressBar'

/** Every running job (startup, sync, export) gets a bar under the top bar, wherever the operator is. */
export function JobsStrip() {
  const t = useT(frameCatalog)
  const jobs = useProgress((state) => state.jobs)
  if (jobs.length === 0) return null
  return (
    <section className="jobs" aria-label={t('frame.jobs')}>
      {jobs.map((job) => (
        <ProgressBar key={job.jobId} job={job} />
      ))}
    </section>
  )
}
