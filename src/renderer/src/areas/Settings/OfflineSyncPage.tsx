import { useEffect, useRef, useState, type FormEvent } from 'react'
import { INTERVAL_MINUTES_MAX, syncSettingsSchema, WINDOW_DAYS_MAX, WINDOWED_TABLES, type SyncSettings } from '../../../../shared/rpc/areas/settings'
import { TextField } from '../../components/Field'
import { ErrorState, LoadingState } from '../../components/states'
import { formatRelative } from '../../i18n/relativeTime'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { useConnection } from '../../stores/connection'
import { notifyError, notifySuccess } from '../../stores/notify'
import { formatTime, SyncNowButton } from '../../components/review/ReviewToolbar'
import { settingsCatalog } from './messages'
import { PinnedTenants } from './PinnedTenants'
import { saveSync } from './saveSync'

type WindowedTable = (typeof WINDOWED_TABLES)[number]

export function OfflineSyncPage() {
  const t = useT(settingsCatalog)
  const settings = useRpcQuery('settings.get', {})
  const [sync, setSync] = useState<SyncSettings | null>(null)
  const current = sync ?? settings.data?.sync ?? null
  return (
    <section aria-labelledby="settings-page-title" className="settings-page stack">
      <div className="section-header">
        <div>
          <h2 id="settings-page-title" className="section-header__title">
            {t('page.sync')}
          </h2>
          <p className="section-header__description">{t('page.sync.description')}</p>
        </div>
      </div>
      <LastSync />
      {current ? (
        <>
          <ScheduleForm saved={current} onSaved={setSync} />
          <PinnedTenants pinned={current.pinnedTenantIds} onSaved={setSync} />
        </>
      ) : settings.error ? (
        <ErrorState error={settings.error} onRetry={settings.reload} />
      ) : (
        <LoadingState />
      )}
    </section>
  )
}

function LastSync() {
  const t = useT(settingsCatalog)
  const locale = useLocale()
  const lastSyncAt = useConnection((s) => s.status?.lastSyncAt ?? null)
  return (
    <div className="panel">
      <dl className="facts">
        <div>
          <dt>{t('sync.lastSync')}</dt>
          <dd data-testid="last-sync">{lastSyncAt ? <time dateTime={lastSyncAt} title={formatTime(lastSyncAt, locale)}>{formatRelative(lastSyncAt, new Date(), locale)}</time> : t('sync.never')}</dd>
        </div>
      </dl>
      <div className="panel__footer">
        <SyncNowButton />
      </div>
    </div>
  )
}

interface Draft {
  enabled: boolean
  interval: string
  windows: Record<WindowedTable, string>
}

const draftOf = (sync: SyncSettings): Draft => ({
  enabled: sync.enabled,
  interval: String(sync.intervalMinutes),
  windows: Object.fromEntries(WINDOWED_TABLES.map((table) => [table, String(sync.windowDays[table])])) as Draft['windows']
})

/** An empty box is no number, not zero. */
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text))

const scheduleSchema = syncSettingsSchema.pick({ enabled: true, intervalMinutes: true, windowDays: true })

/** The shared schema decides what is valid, so the form and the settings file never disagree. */
function validate(draft: Draft) {
  const parsed = scheduleSchema.safeParse({
    enabled: draft.enabled,
    intervalMinutes: numberOf(draft.interval),
    windowDays: Object.fromEntries(WINDOWED_TABLES.map((table) => [table, numberOf(draft.windows[table])]))
  })
  // Issue paths are ['intervalMinutes'] or ['windowDays', <table>]: the last part names the field.
  const invalid = new Set(parsed.error?.issues.map((issue) => String(issue.path.at(-1))) ?? [])
  return { invalid, value: parsed.success ? parsed.data : null }
}

function ScheduleForm({ saved, onSaved }: { saved: SyncSettings; onSaved(sync: SyncSettings): void }) {
  const t = useT(settingsCatalog)
  const [draft, setDraft] = useState(() => draftOf(saved))
  const [attempted, setAttempted] = useState(false)
  const [saving, setSaving] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  const { invalid, value } = validate(draft)
  const showErrors = attempted ? invalid : new Set<string>()

  // After a refused save, the first field to fix gets the focus (and its message is read out).
  const [focusRequest, setFocusRequest] = useState(0)
  useEffect(() => {
    if (focusRequest > 0) form.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus()
  }, [focusRequest])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setAttempted(true)
    if (!value) {
      setFocusRequest((n) => n + 1)
      return
    }
    setSaving(true)
    saveSync(value)
      .then((sync) => {
        onSaved(sync)
        setDraft(draftOf(sync))
        setAttempted(false)
        notifySuccess(t('sync.saved'))
      }, notifyError)
      .finally(() => setSaving(false))
  }

  return (
    <form ref={form} className="panel" onSubmit={submit} noValidate aria-labelledby="sync-schedule-title" data-testid="sync-schedule">
      <header className="panel__header">
        <h3 id="sync-schedule-title" className="panel__title">
          {t('sync.schedule')}
        </h3>
      </header>
      <div className="panel--padded form-grid">
        <div>
          <label className="choice">
            <input type="checkbox" checked={draft.enabled} onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })} />
            <span>{t('sync.enabled')}</span>
          </label>
        </div>
        <TextField
          label={t('sync.interval')}
          className="input input--narrow"
          type="number"
          inputMode="numeric"
          min={1}
          max={INTERVAL_MINUTES_MAX}
          step={1}
          value={draft.interval}
          error={showErrors.has('intervalMinutes') ? t('sync.interval.invalid', { max: INTERVAL_MINUTES_MAX }) : undefined}
          onChange={(event) => setDraft({ ...draft, interval: event.target.value })}
        />
        {WINDOWED_TABLES.map((table) => (
          <TextField
            key={table}
            label={t(`sync.window.${table}`)}
            name={`window-${table}`}
            className="input input--narrow"
            type="number"
            inputMode="numeric"
            min={1}
            max={WINDOW_DAYS_MAX}
            step={1}
            value={draft.windows[table]}
            error={showErrors.has(table) ? t('sync.window.invalid', { max: WINDOW_DAYS_MAX }) : undefined}
            onChange={(event) => setDraft({ ...draft, windows: { ...draft.windows, [table]: event.target.value } })}
          />
        ))}
        <p className="muted">{t('sync.windowHint')}</p>
      </div>
      <div className="panel__footer">
        <button type="submit" className="button button--primary" disabled={saving}>
          {t('sync.save')}
        </button>
      </div>
    </form>
  )
}
