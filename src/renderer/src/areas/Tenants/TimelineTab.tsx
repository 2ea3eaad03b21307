import { useEffect, useState } from 'react'
import { TIMELINE_KINDS, type TimelineEntry, type TimelineKind } from '../../../../shared/rpc/areas/tenants'
import { ErrorState, LoadingState } from '../../components/states'
import { formatDateTime, formatNumber } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { readableValue } from './format'
import { tenantsCatalog } from './messages'
import type { TabProps } from './TenantDetail'

function useEntryText() {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  return (entry: TimelineEntry): string => {
    switch (entry.kind) {
      case 'audit':
        // INSERT, UPDATE, DELETE as the operator reads them; anything else as stored.
        return t('timeline.audit', { action: entry.event === 'INSERT' || entry.event === 'UPDATE' || entry.event === 'DELETE' ? t(`timeline.action.${entry.event}`) : entry.event, table: entry.subject ?? '' })
      case 'execution':
        return t('timeline.execution', { status: entry.event, workflow: entry.subject ?? '—' })
      case 'breach':
        return t(entry.event === 'storage' ? 'timeline.breach.storage' : 'timeline.breach.agentCalls', {
          used: formatNumber(entry.measure?.used ?? 0, locale),
          allowed: formatNumber(entry.measure?.allowed ?? 0, locale)
        })
      case 'consent':
        return t(entry.event === 'granted' ? 'timeline.consent.granted' : 'timeline.consent.revoked', { type: entry.subject ?? '', user: entry.detail ?? '' })
      case 'credential':
        return t(entry.event === 'rotated' ? 'timeline.credential.rotated' : entry.event === 'expired' ? 'timeline.credential.expired' : 'timeline.credential.issued', { label: entry.subject ?? entry.detail ?? '' })
    }
  }
}

export function TimelineTab({ detail }: TabProps) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const text = useEntryText()
  const tenantId = detail.profile.id
  const [kinds, setKinds] = useState<TimelineKind[]>([...TIMELINE_KINDS])
  const [entries, setEntries] = useState<TimelineEntry[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function load(before: string | null, into: TimelineEntry[]) {
    try {
      const page = await rpc.call('tenants.timeline', { tenantId, kinds, before, limit: 100 })
      setEntries([...into, ...page.entries])
      setNext(page.nextBefore)
      setError(null)
    } catch (e) {
      setError(e)
    }
  }

  useEffect(() => {
    setEntries(null)
    if (kinds.length > 0) void load(null, [])
    else setEntries([])
    // A new detail (after a change) or a new filter starts the stream over.
  }, [tenantId, kinds.join(','), detail.profile.updatedAt])

  return (
    <section className="panel panel--padded" aria-label={t('tab.timeline')}>
      <fieldset className="choice-group tenant-kinds">
        <legend className="choice-group__legend">{t('timeline.filter')}</legend>
        {TIMELINE_KINDS.map((kind) => (
          <label key={kind} className="choice">
            <input type="checkbox" checked={kinds.includes(kind)} onChange={(e) => setKinds((k) => (e.target.checked ? TIMELINE_KINDS.filter((x) => x === kind || k.includes(x)) : k.filter((x) => x !== kind)))} />
            {t(`timeline.kind.${kind}`)}
          </label>
        ))}
      </fieldset>
      {error && !entries ? <ErrorState error={error} onRetry={() => void load(null, [])} /> : null}
      {entries === null ? (
        error ? null : <LoadingState />
      ) : entries.length === 0 ? (
        <p>{t('timeline.none')}</p>
      ) : (
        <ol className="tenant-timeline">
          {entries.map((entry) => (
            <li key={entry.key} className={`tenant-event tenant-event--${entry.kind}`}>
              <span className="badge">{t(`timeline.kind.${entry.kind}`)}</span>
              <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time>
              <span className="tenant-event__text">{text(entry)}</span>
              {entry.actor ? <span className="tenant-muted">{t('timeline.by', { actor: entry.actor })}</span> : null}
              {entry.kind === 'execution' && entry.detail ? <p className="tenant-muted">{entry.detail}</p> : null}
              {entry.changes.length > 0 ? (
                <ul className="tenant-changes">
                  {entry.changes.slice(0, 8).map((c) => (
                    <li key={c.field}>{t('timeline.change', { field: c.field, before: readableValue(c.before, locale), after: readableValue(c.after, locale) })}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {next && entries ? (
        <button type="button" className="button" onClick={() => void load(next, entries)}>
          {t('timeline.more')}
        </button>
      ) : null}
    </section>
  )
}
