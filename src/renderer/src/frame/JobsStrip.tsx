import { frameCatalog } from '../i18n/catalog'
import { formatDateTime } from '../i18n/format'
import { useLocale, useT } from '../i18n/useT'
import { useProgress } from '../stores/progress'
import { useWatermark } from '../stores/watermark'
import { ProgressBar } from '../components/ProgressBar'
import { Icon } from '../components/Icon'

/**
 * Every running job (startup, sync, export) gets a bar under the top bar, wherever the operator is;
 * and when a transaction open on the server holds the sync back, the strip says since when and who.
 */
export function JobsStrip() {
  const t = useT(frameCatalog)
  const locale = useLocale()
  const jobs = useProgress((state) => state.jobs)
  const hold = useWatermark((state) => state.hold)
  if (jobs.length === 0 && !hold) return null
  return (
    <section className="jobs" aria-label={t('frame.jobs')}>
      {hold ? (
        <p className="jobs__hold" role="status" data-testid="watermark-hold">
          <Icon name="alert" />
          <span>
            {t(hold.exactSince ? 'frame.watermarkHeld' : 'frame.watermarkHeldSeen', { since: formatDateTime(hold.since, locale) })}
            {hold.role !== null && hold.pid !== null ? ` ${t('frame.watermarkHolder', { role: hold.role, pid: String(hold.pid) })}` : null}
          </span>
        </p>
      ) : null}
      {jobs.map((job) => (
        <ProgressBar key={job.jobId} job={job} />
      ))}
    </section>
  )
}
