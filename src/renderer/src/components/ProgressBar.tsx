import type { ProgressEvent } from '../../../shared/events'
import { frameCatalog } from '../i18n/catalog'
import { useLocale, useT } from '../i18n/useT'
import { fractionOf } from '../stores/progress'
import type { Locale } from '../i18n/define'
import { formatUnit } from '../i18n/format'

function formatDuration(seconds: number, locale: Locale): string {
  const format = (value: number, unit: 'second' | 'minute' | 'hour') => formatUnit(value, unit, locale)
  if (seconds < 60) return format(Math.max(1, Math.round(seconds)), 'second')
  if (seconds < 3600) return format(Math.round(seconds / 60), 'minute')
  return format(Math.round(seconds / 360) / 10, 'hour')
}

/** One job's bar: determinate when the total is known, indeterminate otherwise; rate and time left when reported. */
export function ProgressBar({ job }: { job: ProgressEvent }) {
  const t = useT(frameCatalog)
  const locale = useLocale()
  const fraction = fractionOf(job)
  const percent = fraction === null ? undefined : Math.round(fraction * 100)
  const parts: string[] = []
  if (job.error) parts.push(t('progress.failed', { error: job.error }))
  else if (job.finished) parts.push(t('progress.done'))
  else {
    parts.push(job.total === null ? t('progress.itemsUnknown', { done: job.done }) : t('progress.items', { done: job.done, total: job.total }))
    if (job.rate) parts.push(t('progress.rate', { rate: Math.round(job.rate) }))
    if (job.etaSeconds !== undefined) parts.push(t('progress.eta', { time: formatDuration(job.etaSeconds, locale) }))
  }
  const detail = parts.join(' · ')
  return (
    <div className={`progress${job.error ? ' progress--failed' : ''}`} data-kind={job.kind}>
      <div className="progress__text">
        <span className="progress__label">{job.label}</span>
        <span className="progress__detail">{detail}</span>
      </div>
      <div
        className={`progress__track${fraction === null ? ' progress__track--indeterminate' : ''}`}
        role="progressbar"
        aria-label={job.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={detail}
      >
        <div className="progress__fill" style={fraction === null ? undefined : { transform: `scaleX(${fraction})` }} />
      </div>
    </div>
  )
}
