import { useEffect, useState, type FormEvent } from 'react'
import {
  MAINTENANCE_JOBS,
  maintenanceScheduleSchema,
  type MaintenanceJob,
  type MaintenanceJobName,
  type MaintenanceStatus
} from '../../../../shared/rpc/areas/maintenance'
import { useGate } from '../../capabilities/useGate'
import { Fact, Facts } from '../../components/Facts'
import { WholeNumberField } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Panel } from '../../components/Panel'
import { ProgressBar } from '../../components/ProgressBar'
import { ErrorState, LoadingState } from '../../components/states'
import { formatDateTime, formatDay, formatNumber, formatRelative, formatUnit } from '../../i18n/format'
import { wholeNumberOf } from '../../i18n/numbers'
import { useLocale, useT } from '../../i18n/useT'
import { runMutation, useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { maintenanceCatalog } from './messages'
import './maintenance.css'

/** While a job runs its progress is read every second; otherwise the table refreshes slowly (other consoles run jobs too). */
const RUNNING_POLL_MS = 1_000
const IDLE_POLL_MS = 15_000
const MINUTE = 60

export default function MaintenanceScreen() {
  const t = useT(maintenanceCatalog)
  const status = useRpcQuery('maintenance.status', {})
  const running = status.data?.jobs.some((job) => job.running !== null) ?? false
  const { reload } = status

  useEffect(() => {
    const timer = setInterval(reload, running ? RUNNING_POLL_MS : IDLE_POLL_MS)
    return () => clearInterval(timer)
  }, [reload, running])

  let body
  if (!status.data && status.error) body = <ErrorState error={status.error} onRetry={reload} />
  else if (!status.data) body = <LoadingState />
  else
    body = (
      <>
        <JobsPanel status={status.data} reload={reload} />
        <div className="card-grid">
          <CoveragePanel status={status.data} />
          <SchedulePanel status={status.data} reload={reload} />
        </div>
      </>
    )

  return (
    <div className="screen">
      <PageHeader title={t('area.title')} description={t('area.description')} />
      {body}
    </div>
  )
}

function JobsPanel({ status, reload }: { status: MaintenanceStatus; reload(): void }) {
  const t = useT(maintenanceCatalog)
  const locale = useLocale()
  const gate = useGate('maintenance.run')
  const now = new Date()
  const start = useMutation((job: MaintenanceJobName) => rpc.call('maintenance.runNow', { job }), { onSuccess: reload, onSettled: reload })

  const when = (iso: string) => (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {formatRelative(iso, now, locale)}
    </time>
  )
  const nextRun = (job: MaintenanceJob) => {
    if (!job.nextRunAt) return <span className="muted">{t('jobs.scheduleOff')}</span>
    return new Date(job.nextRunAt) <= now ? t('jobs.dueNow') : when(job.nextRunAt)
  }

  return (
    <Panel title={t('jobs.title')} titleId="maintenance-jobs" icon="refresh">
      {gate.note}
      <div className="table-wrap">
        <table className="table" aria-labelledby="maintenance-jobs" data-testid="maintenance-jobs">
          <thead>
            <tr>
              <th scope="col">{t('jobs.job')}</th>
              <th scope="col">{t('jobs.lastRun')}</th>
              <th scope="col" className="num">{t('jobs.duration')}</th>
              <th scope="col" className="num">{t('jobs.rows')}</th>
              <th scope="col">{t('jobs.nextRun')}</th>
              <th scope="col">{t('jobs.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {status.jobs.map((job) => {
              const name = t(`job.${job.job}`)
              return (
                <tr key={job.job} data-job={job.job}>
                  <th scope="row">
                    {name}
                    {job.lastError ? <p className="maintenance-error">{t('jobs.failed', { error: job.lastError })}</p> : null}
                  </th>
                  <td data-cell="last-run">
                    {job.lastStartedAt ? (
                      <>
                        {when(job.lastStartedAt)} <span className="muted">{t('jobs.ranBy', { who: job.lastRunBy ?? '' })}</span>
                      </>
                    ) : (
                      <span className="muted">{t('jobs.never')}</span>
                    )}
                  </td>
                  <td className="num" data-cell="duration">{job.lastDurationMs === null ? '—' : formatUnit(job.lastDurationMs / 1000, 'second', locale, { unitDisplay: 'short', maximumFractionDigits: 1 })}</td>
                  <td className="num" data-cell="rows">{job.lastRows === null ? '—' : formatNumber(job.lastRows, locale)}</td>
                  <td data-cell="next-run">{nextRun(job)}</td>
                  <td className="maintenance-action">
                    {job.running ? (
                      <ProgressBar
                        job={{
                          type: 'progress',
                          jobId: `maintenance-${job.job}`,
                          kind: 'maintenance',
                          label: t('jobs.runningBy', { who: job.running.by, since: formatDateTime(job.running.since, locale) }),
                          done: job.running.done,
                          total: job.running.total
                        }}
                      />
                    ) : (
                      <button
                        type="button"
                        className="button"
                        aria-label={t('jobs.runNowLabel', { job: name })}
                        disabled={gate.disabled || start.running}
                        aria-describedby={gate.describedBy}
                        onClick={() => void start.run(job.job)}
                      >
                        {t('jobs.runNow')}
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

function CoveragePanel({ status }: { status: MaintenanceStatus }) {
  const t = useT(maintenanceCatalog)
  const locale = useLocale()
  const { coverage, warnBelowDays } = status
  const warn = coverage.daysLeft === null || coverage.daysLeft < warnBelowDays
  const until = coverage.coveredUntil ? formatDay(coverage.coveredUntil, locale, 'long') : null
  return (
    <Panel title={t('coverage.title')} titleId="maintenance-coverage" icon="database" testId="partition-coverage">
      <Facts>
        <Fact label={t('coverage.until')}>{until ?? t('coverage.none')}</Fact>
        <Fact label={t('coverage.daysLeft')} testId="coverage-days">
          {coverage.daysLeft === null ? '—' : formatNumber(coverage.daysLeft, locale)}
        </Fact>
        <Fact label={t('coverage.partitions')}>{formatNumber(coverage.partitions, locale)}</Fact>
        <Fact label={t('coverage.defaultRows')}>{formatNumber(coverage.defaultRows, locale)}</Fact>
      </Facts>
      {warn ? (
        <p className="callout maintenance-warning" role="alert" data-testid="coverage-warning">
          {t('coverage.warning', { date: until ?? '—', days: coverage.daysLeft ?? 0, min: warnBelowDays })}
        </p>
      ) : (
        <p className="panel__note muted">{t('coverage.ok', { min: warnBelowDays })}</p>
      )}
    </Panel>
  )
}

type Draft = { enabled: boolean; archiveAfterDays: string } & Record<MaintenanceJobName, string>

function draftOf(status: MaintenanceStatus): Draft {
  const every = Object.fromEntries(status.jobs.map((job) => [job.job, String(Math.round(job.everySeconds / MINUTE))]))
  return { enabled: status.scheduleEnabled, archiveAfterDays: String(status.archiveAfterDays), ...(every as Record<MaintenanceJobName, string>) }
}

function SchedulePanel({ status, reload }: { status: MaintenanceStatus; reload(): void }) {
  const t = useT(maintenanceCatalog)
  const locale = useLocale()
  const gate = useGate('maintenance.schedule')
  const [draft, setDraft] = useState<Draft>(() => draftOf(status))
  const [showErrors, setShowErrors] = useState(false)
  const [saving, setSaving] = useState(false)

  const candidate = {
    enabled: draft.enabled,
    archiveAfterDays: wholeNumberOf(draft.archiveAfterDays, locale),
    everySeconds: Object.fromEntries(MAINTENANCE_JOBS.map((job) => [job, wholeNumberOf(draft[job], locale) * MINUTE]))
  }
  // The procedure's own schema decides; the form only says it in the operator's language.
  const parsed = maintenanceScheduleSchema.safeParse(candidate)
  const invalid = new Set(parsed.success ? [] : parsed.error.issues.map((issue) => String(issue.path[issue.path.length - 1])))
  const errorFor = (field: string, min: number, max: number) => (showErrors && invalid.has(field) ? t('schedule.invalidWhole', { min, max }) : undefined)

  async function save(event: FormEvent) {
    event.preventDefault()
    setShowErrors(true)
    if (!parsed.success) return
    setSaving(true)
    await runMutation(() => rpc.call('maintenance.setSchedule', parsed.data), {
      success: () => t('schedule.saved'),
      onSuccess: (next) => {
        setDraft(draftOf(next))
        setShowErrors(false)
        reload()
      },
      onSettled: () => setSaving(false)
    })
  }

  return (
    <Panel
      title={t('schedule.title')}
      titleId="maintenance-schedule"
      icon="settings"
      bodyClassName="form-grid"
      form={{ onSubmit: (event) => void save(event) }}
      footer={
        <button type="submit" className="button button--primary" disabled={gate.disabled || saving} aria-describedby={gate.describedBy}>
          {t('schedule.save')}
        </button>
      }
    >
      {gate.note}
      <label className="choice">
        <input type="checkbox" checked={draft.enabled} disabled={gate.disabled} onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })} />
        <span>{t('schedule.enabled')}</span>
      </label>
      <p className="muted">{t('schedule.note')}</p>
      <WholeNumberField
        label={t('schedule.archiveAfterDays')}
        value={draft.archiveAfterDays}
        disabled={gate.disabled}
        error={errorFor('archiveAfterDays', 1, 3650)}
        onChange={(event) => setDraft({ ...draft, archiveAfterDays: event.target.value })}
      />
      {MAINTENANCE_JOBS.map((job) => (
        <WholeNumberField
          key={job}
          label={t('schedule.every', { job: t(`job.${job}`) })}
          value={draft[job]}
          disabled={gate.disabled}
          error={errorFor(job, 1, 31 * 24 * 60)}
          onChange={(event) => setDraft({ ...draft, [job]: event.target.value })}
        />
      ))}
    </Panel>
  )
}
