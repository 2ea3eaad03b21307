import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { QUEUE_STATES, RISK_LEVELS, TEMPLATE_STATES, type QueueQuery, type QueueRow, type RiskLevel, type TemplateDetail, type TemplateState } from '../../../../shared/rpc/areas/marketplace'
import { useGate } from '../../capabilities/useGate'
import { Dialog } from '../../components/Dialog'
import { SelectField } from '../../components/Field'
import { ErrorState, LoadingState } from '../../components/states'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import { formatDateTime, formatNumber } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { navigate } from '../../routing/route'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { AreaNav } from './AreaNav'
import { formatMoney, formatWaiting, hoursBetween, isShortcutEvent } from './format'
import { marketplaceCatalog } from './messages'
import { RiskBadge, StateBadge } from './RiskBadge'
import { targetOf, TemplateReview } from './TemplateReview'
import { useModeration, type Target } from './useModeration'

const PAGE = 200
const AGE_CHOICES = [24, 48, 72] as const

type Filter = Omit<QueueQuery, 'search'>
const INITIAL: Filter = { states: [...QUEUE_STATES], category: null, pricing: 'any', risk: null, olderThanHours: null, claimed: 'any' }

function rowTarget(row: QueueRow): Target {
  return { id: row.id, version: row.version, name: row.name, status: row.status, claimedByMe: row.claimedByMe }
}

function KeysDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const t = useT(marketplaceCatalog)
  const keys: [string, string][] = [
    ['j / k', t('keys.move')],
    ['Enter', t('keys.open')],
    ['c', t('keys.claim')],
    ['a', t('keys.approve')],
    ['r', t('keys.reject')],
    ['x', t('keys.select')],
    ['?', t('keys.help')]
  ]
  return (
    <Dialog open={open} size="small" title={t('keys.title')} onClose={onClose}>
      <dl className="mq-keys">
        {keys.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t('keys.afterDecision')}</p>
    </Dialog>
  )
}

/**
 * The review queue (#/marketplace, #/marketplace/<template id> with the template open beside it):
 * filters, counts per state, oldest first with the waiting time against the SLA target, keyboard
 * triage and bulk decisions.
 */
export function QueueScreen({ openId }: { openId: string | undefined }) {
  const t = useT(marketplaceCatalog)
  const locale = useLocale()
  const [filter, setFilter] = useState<Filter>(INITIAL)
  const searchText = useSearchText()
  const search = useDebounced(searchText.fitting, 200)
  const queue = useRpcQuery('marketplace.queue', { ...filter, search, limit: PAGE })
  const reasonsQuery = useRpcQuery('marketplace.reasons', {})
  const reasons = reasonsQuery.data?.reasons ?? []
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set())
  const [keysOpen, setKeysOpen] = useState(false)
  const [generation, setGeneration] = useState(0)
  const [openDetail, setOpenDetail] = useState<TemplateDetail | null>(null)
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>())
  const decideGate = useGate('marketplace.decide')
  const rows = useMemo(() => queue.data?.rows ?? [], [queue.data])
  const { reload } = queue

  // The cursor stays on its template across reloads; it starts on the oldest item.
  const cursor = rows.find((r) => r.id === selectedId) ?? rows.find((r) => r.id === openId) ?? rows[0]
  const changed = useCallback(() => {
    reload()
    setGeneration((g) => g + 1)
  }, [reload])
  const open = useCallback((id: string) => {
    setSelectedId(id)
    navigate(['marketplace', id])
  }, [])
  // After a decision the next item opens (the decided one usually leaves the list).
  const rowsRef = useRef(rows)
  rowsRef.current = rows
  const decided = useCallback(
    (target: Target) => {
      const list = rowsRef.current
      const index = list.findIndex((r) => r.id === target.id)
      const next = list.slice(index + 1).find((r) => r.id !== target.id) ?? list.slice(0, Math.max(index, 0)).reverse()[0]
      if (next) open(next.id)
      else navigate(['marketplace'])
    },
    [open]
  )
  const moderation = useModeration({ reasons, onChanged: changed, onDecided: decided })

  /** The item a key acts on: the open template as its screen shows it, else the row under the cursor. */
  const current = (): Target | null => (openDetail && openDetail.id === openId ? targetOf(openDetail) : cursor ? rowTarget(cursor) : null)

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return
      const index = cursor ? rows.indexOf(cursor) : -1
      const move = (to: number) => {
        const row = rows[Math.min(Math.max(to, 0), rows.length - 1)]
        if (!row) return
        setSelectedId(row.id)
        rowRefs.current.get(row.id)?.scrollIntoView({ block: 'nearest' })
      }
      const item = current()
      let handled = true
      switch (event.key) {
        case 'j':
          move(index + 1)
          break
        case 'k':
          move(index - 1)
          break
        case 'Enter':
          if (cursor && !(event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement)) open(cursor.id)
          else handled = false
          break
        case 'c':
          if (item) moderation.claim(item)
          break
        case 'a':
          if (item && !decideGate.disabled) moderation.approve([item])
          break
        case 'r':
          if (item && !decideGate.disabled) moderation.reject([item])
          break
        case 'x':
          if (cursor) toggle(cursor.id)
          break
        case '?':
          setKeysOpen(true)
          break
        default:
          handled = false
      }
      if (handled) event.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  function toggle(id: string) {
    setChecked((before) => {
      const next = new Set(before)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  }

  const checkedTargets = rows.filter((r) => checked.has(r.id)).map(rowTarget)
  const setState = (value: string) => setFilter((f) => ({ ...f, states: value === '' ? [...QUEUE_STATES] : [value as TemplateState] }))
  const data = queue.data
  return (
    <div className="screen marketplace-screen">
      <AreaNav current="queue" />
      {data ? (
        <ul className="mq-counts" aria-label={t('counts.label')} data-testid="state-counts">
          {TEMPLATE_STATES.map((s) => (
            <li key={s}>
              <button type="button" className="mq-count" aria-pressed={filter.states.length === 1 && filter.states[0] === s} onClick={() => setState(filter.states.length === 1 && filter.states[0] === s ? '' : s)}>
                <span className="mq-count__value">{formatNumber(data.counts[s], locale)}</span>
                <span className="mq-count__label">{t(`state.${s}`)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mq-filters" role="search">
        <SearchField label={t('filter.search')} search={searchText} />
        <SelectField
          label={t('filter.state')}
          value={filter.states.length === 1 ? filter.states[0]! : ''}
          options={[{ value: '', label: t('filter.queueStates') }, ...TEMPLATE_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))]}
          onChange={(e) => setState(e.target.value)}
        />
        <SelectField
          label={t('filter.category')}
          value={filter.category ?? ''}
          options={[{ value: '', label: t('filter.any') }, ...(data?.categories ?? []).map((c) => ({ value: c, label: c }))]}
          onChange={(e) => setFilter((f) => ({ ...f, category: e.target.value || null }))}
        />
        <SelectField
          label={t('filter.pricing')}
          value={filter.pricing}
          options={(['any', 'free', 'paid'] as const).map((p) => ({ value: p, label: t(`filter.pricing.${p}`) }))}
          onChange={(e) => setFilter((f) => ({ ...f, pricing: e.target.value as Filter['pricing'] }))}
        />
        <SelectField
          label={t('filter.risk')}
          value={filter.risk ?? ''}
          options={[{ value: '', label: t('filter.risk.any') }, ...RISK_LEVELS.map((l) => ({ value: l, label: t('filter.risk.atLeast', { level: t(`risk.${l}`) }) }))]}
          onChange={(e) => setFilter((f) => ({ ...f, risk: (e.target.value || null) as RiskLevel | null }))}
        />
        <SelectField
          label={t('filter.age')}
          value={filter.olderThanHours === null ? '' : String(filter.olderThanHours)}
          options={[{ value: '', label: t('filter.age.any') }, ...AGE_CHOICES.map((h) => ({ value: String(h), label: t('filter.age.hours', { hours: h }) }))]}
          onChange={(e) => setFilter((f) => ({ ...f, olderThanHours: e.target.value ? Number(e.target.value) : null }))}
        />
        <SelectField
          label={t('filter.claimed')}
          value={filter.claimed}
          options={(['any', 'me', 'others', 'nobody'] as const).map((c) => ({ value: c, label: t(`filter.claimed.${c}`) }))}
          onChange={(e) => setFilter((f) => ({ ...f, claimed: e.target.value as Filter['claimed'] }))}
        />
      </div>
      {checked.size > 0 ? (
        <div className="mq-bulk" role="region" aria-label={t('bulk.selected', { count: checked.size })}>
          <strong>{t('bulk.selected', { count: checked.size })}</strong>
          <button type="button" className="button button--primary" disabled={decideGate.disabled} aria-describedby={decideGate.describedBy} onClick={() => moderation.approve(checkedTargets)}>
            {t('bulk.approve')}
          </button>
          <button type="button" className="button button--danger" disabled={decideGate.disabled} aria-describedby={decideGate.describedBy} onClick={() => moderation.reject(checkedTargets)}>
            {t('bulk.reject')}
          </button>
          <button type="button" className="button button--ghost" onClick={() => setChecked(new Set())}>
            {t('bulk.clear')}
          </button>
          {decideGate.note}
        </div>
      ) : null}
      {moderation.bulk ? (
        <section className="panel mq-bulk-results" aria-labelledby="bulk-results-title" data-testid="bulk-results">
          <header className="panel__header">
            <h2 id="bulk-results-title" className="panel__title">
              {t('bulk.results')}
            </h2>
            <span className="spacer" />
            <button type="button" className="button button--small button--ghost" onClick={moderation.clearBulk}>
              {t('action.close')}
            </button>
          </header>
          <ul className="panel--padded" role="status">
            {moderation.bulk.results.map((r) => (
              <li key={r.templateId} className={r.ok ? 'mq-ok' : 'mq-failed'}>
                {r.ok ? t('bulk.ok', { name: r.name, state: t(`state.${r.status!}`) }) : t('bulk.failed', { name: r.name, message: r.error?.message ?? '' })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className={`mq-split${openId ? ' mq-split--open' : ''}`}>
        <div className="mq-list">
          {!data ? (
            queue.error ? <ErrorState error={queue.error} onRetry={reload} /> : <LoadingState />
          ) : (
            <>
              <table className="mq-table" aria-label={t('queue.table')} aria-describedby="mq-keys-hint" data-testid="queue">
                <thead>
                  <tr>
                    <th scope="col" className="mq-check">
                      <span className="visually-hidden">{t('col.select')}</span>
                    </th>
                    <th scope="col">{t('col.name')}</th>
                    <th scope="col">{t('col.risk')}</th>
                    <th scope="col">{t('col.waiting')}</th>
                    <th scope="col">{t('col.claim')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const overSla = row.submittedAt !== null && (row.status === 'submitted' || row.status === 'in_review') && hoursBetween(row.submittedAt, data.now) > data.slaHours
                    return (
                      <tr
                        key={row.id}
                        ref={(el) => {
                          if (el) rowRefs.current.set(row.id, el)
                          else rowRefs.current.delete(row.id)
                        }}
                        className={`mq-row${row.id === cursor?.id ? ' mq-row--cursor' : ''}${row.id === openId ? ' mq-row--open' : ''}`}
                        aria-current={row.id === cursor?.id ? 'true' : undefined}
                        data-testid="queue-row"
                        onClick={() => setSelectedId(row.id)}
                      >
                        <td className="mq-check">
                          <input type="checkbox" aria-label={`${t('col.select')}: ${row.name}`} checked={checked.has(row.id)} onChange={() => toggle(row.id)} />
                        </td>
                        <td>
                          <a className="link" href={`#/marketplace/${row.id}`} onClick={() => setSelectedId(row.id)}>
                            {row.name}
                          </a>
                          <span className="mq-sub">
                            <StateBadge state={row.status} /> {row.category} · {row.isFree ? t('price.free') : formatMoney(row.price, row.currency, locale)} · {row.tenantName ?? ''}
                          </span>
                        </td>
                        <td>{row.risk ? <RiskBadge level={row.risk} /> : '—'}</td>
                        <td>
                          {row.submittedAt ? formatWaiting(row.submittedAt, data.now, locale) : '—'}
                          {overSla ? (
                            <span className="badge mq-sla mq-sla--over" title={t('sla.overTitle', { hours: data.slaHours })}>
                              {t('sla.over')}
                            </span>
                          ) : null}
                        </td>
                        <td className="mq-claim">
                          {row.claimActive && row.claimExpiresAt
                            ? row.claimedByMe
                              ? t('claim.mine', { time: formatDateTime(row.claimExpiresAt, locale) })
                              : t('claim.other', { who: row.claimedBy ?? '', time: formatDateTime(row.claimExpiresAt, locale) })
                            : row.claimedBy
                              ? t('claim.expired', { who: row.claimedBy })
                              : t('claim.none')}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
              <p className="muted" role="status">
                {data.total === 0 ? t('queue.empty') : t('queue.count', { shown: rows.length, total: data.total })}
                {' · '}
                {t('settings.sla', { hours: data.slaHours })}
              </p>
              <p id="mq-keys-hint" className="muted">
                {t('queue.keysHint')}
              </p>
            </>
          )}
        </div>
        {openId ? (
          <TemplateReview
            key={openId}
            templateId={openId}
            reasons={reasons}
            moderation={moderation}
            generation={generation}
            onLoaded={setOpenDetail}
            onClose={() => navigate(['marketplace'])}
          />
        ) : null}
      </div>
      {moderation.dialog}
      <KeysDialog open={keysOpen} onClose={() => setKeysOpen(false)} />
    </div>
  )
}
