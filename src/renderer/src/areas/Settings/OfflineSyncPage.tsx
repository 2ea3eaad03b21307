import { useEffect, useRef, useState, type FormEvent } from 'react'
import { INTERVAL_MINUTES_MAX, syncSettingsSchema, WINDOW_DAYS_MAX, WINDOWED_TABLES, type SyncSettings } from '../../../../shared/rpc/areas/settings'
import { Fact, Facts } from '../../components/Facts'
import { WholeNumberField } from '../../components/Field'
import { Panel } from '../../components/Panel'
import { SectionHeader } from '../../components/PageHeader'
import { ErrorState, LoadingState } from '../../components/states'
import { formatDateTime, formatRelative } from '../../i18n/format'
import type { Locale } from '../../i18n/define'
import { wholeNumberOf } from '../../i18n/numbers'
import { useLocale, useT } from '../../i18n/useT'
import { useMutation } from '../../rpc/mutation'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { useConnection } from '../../stores/connection'
import { SyncNowButton } from '../../components/review/ReviewToolbar'
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
      <SectionHeader id="settings-page-title" title={t('page.sync')} description={t('page.sync.description')} />
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
      <Facts>
        <Fact label={t('sync.lastSync')} testId="last-sync">
          {lastSyncAt ? <time dateTime={lastSyncAt} title={formatDateTime(lastSyncAt, locale)}>{formatRelative(lastSyncAt, new Date(), locale)}</time> : t('sync.never')}
        </Fact>
      </Facts>
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


const scheduleSchema = syncSettingsSchema.pick({ enabled: true, intervalMinutes: true, windowDays: true })

/** The shared schema decides what is valid, so the form and the settings file never disagree. */
function validate(draft: Draft, locale: Locale) {
  const parsed = scheduleSchema.safeParse({
    enabled: draft.enabled,
    intervalMinutes: wholeNumberOf(draft.interval, locale),
    windowDays: Object.fromEntries(WINDOWED_TABLES.map((table) => [table, wholeNumberOf(draft.windows[table], locale)]))
  })
  // Issue paths are ['intervalMinutes'] or ['windowDays', <table>]: the last part names the field.
  const invalid = new Set(parsed.error?.issues.map((issue) => String(issue.path.at(-1))) ?? [])
  return { invalid, value: parsed.success ? parsed.data : null }
}

function ScheduleForm({ saved, onSaved }: { saved: SyncSettings; onSaved(sync: SyncSettings): void }) {
  const t = useT(settingsCatalog)
  const [draft, setDraft] = useState(() => draftOf(saved))
  const [attempted, setAttempted] = useState(false)
  const saving = useMutation(saveSync, {
    success: () => t('sync.saved'),
    onSuccess: (sync) => {
      onSaved(sync)
      setDraft(draftOf(sync))
      setAttempted(false)
    }
  })
  const form = useRef<HTMLFormElement>(null)
  const { invalid, value } = validate(draft, useLocale())
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
    void saving.run(value)
  }

  return (
    <Panel
      title={t('sync.schedule')}
      titleId="sync-schedule-title"
      level={3}
      form={{ onSubmit: submit, ref: form }}
      testId="sync-schedule"
      bodyClassName="form-grid"
      footer={
        <button type="submit" className="button button--primary" disabled={saving.running}>
          {t('sync.save')}
        </button>
      }
    >
      <div>
        <label className="choice">
          <input type="checkbox" checked={draft.enabled} onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })} />
          <span>{t('sync.enabled')}</span>
        </label>
      </div>
      <CountField
        label={t('sync.interval')}
        value={draft.interval}
        error={showErrors.has('intervalMinutes') ? t('sync.interval.invalid', { max: INTERVAL_MINUTES_MAX }) : undefined}
        onChange={(interval) => setDraft({ ...draft, interval })}
      />
      {WINDOWED_TABLES.map((table) => (
        <CountField
          key={table}
          label={t(`sync.window.${table}`)}
          name={`window-${table}`}
          value={draft.windows[table]}
          error={showErrors.has(table) ? t('sync.window.invalid', { max: WINDOW_DAYS_MAX }) : undefined}
          onChange={(days) => setDraft({ ...draft, windows: { ...draft.windows, [table]: days } })}
        />
      ))}
      <p className="muted">{t('sync.windowHint')}</p>
    </Panel>
  )
}

/** A narrow box for a count; the text is kept as typed, the schema judges it on save. */
function CountField({ onChange, ...field }: { label: string; name?: string; value: string; error: string | undefined; onChange(text: string): void }) {
  return <WholeNumberField {...field} className="input input--narrow" onChange={(event) => onChange(event.target.value)} />
}
