import { useCallback, useEffect, useRef, useState } from 'react'
import {
  CREDENTIAL_DUE_DAYS,
  CREDENTIAL_KINDS,
  CREDENTIAL_STATES,
  DUE_FILTERS,
  GRACE_PERIODS,
  type CredentialQuery,
  type CredentialRow,
  type DueFilter,
  type GracePeriod
} from '../../../../shared/rpc/areas/credentials'
import type { ProgressEvent } from '../../../../shared/events'
import { useGate } from '../../capabilities/useGate'
import { Dialog } from '../../components/Dialog'
import { ExportButton } from '../../components/ExportButton'
import { SelectField, TextField, WholeNumberField } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Panel } from '../../components/Panel'
import { ProgressBar } from '../../components/ProgressBar'
import { ErrorState } from '../../components/states'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import { VirtualTable, type Column } from '../../components/VirtualTable/VirtualTable'
import { frameCatalog } from '../../i18n/catalog'
import { wholeNumberOf } from '../../i18n/numbers'
import { useLocale, useT } from '../../i18n/useT'
import { navigate } from '../../routing/route'
import { runMutation } from '../../rpc/mutation'
import { onServerEvent, rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import type { AreaScreenProps } from '../types'
import { CredentialDetail } from './CredentialDetail'
import { daysBetween, formatRelativeDays } from './format'
import { formatDate } from '../../i18n/format'
import { credentialsCatalog } from './messages'
import { SecretDialog, type ShownSecret } from './SecretDialog'
import './credentials.css'

const PAGE = 200

/**
 * #/credentials → every visible credential; #/credentials/due/<due|overdue|attention> → the due list
 * (where the inbox's credential items open); #/credentials/<tenant>/<credential> → one of them.
 */
export default function CredentialsScreen({ path }: AreaScreenProps) {
  const [tenantId, credentialId] = path
  if (tenantId === 'due') {
    const due = DUE_FILTERS.find((d) => d === credentialId) ?? 'attention'
    return <CredentialList key={due} initialDue={due} />
  }
  if (tenantId && credentialId) return <CredentialDetail key={credentialId} tenantId={tenantId} credentialId={credentialId} />
  return <CredentialList initialDue={null} />
}

/** Pages through the list by its keyset cursor as the table scrolls. */
function useCredentialPages(filter: CredentialQuery) {
  const [state, setState] = useState<{ rows: CredentialRow[]; next: string | null; error: unknown; loaded: boolean }>({ rows: [], next: null, error: null, loaded: false })
  const key = JSON.stringify(filter)
  const generation = useRef(0)
  const loading = useRef(false)
  const load = useCallback(
    async (after: string | null, reset: boolean) => {
      const mine = generation.current
      loading.current = true
      try {
        const page = await rpc.call('credentials.list', { ...(JSON.parse(key) as CredentialQuery), after, limit: PAGE })
        if (mine !== generation.current) return
        setState((s) => ({ rows: reset ? page.rows : [...s.rows, ...page.rows], next: page.nextCursor, error: null, loaded: true }))
      } catch (error) {
        if (mine === generation.current) setState((s) => ({ ...s, error, loaded: true }))
      } finally {
        loading.current = false
      }
    },
    [key]
  )
  const reload = useCallback(() => {
    generation.current++
    void load(null, true)
  }, [load])
  useEffect(reload, [reload])
  const onRange = (_start: number, end: number) => {
    if (state.next && !loading.current && end >= state.rows.length - 20) void load(state.next, false)
  }
  return { ...state, onRange, reload }
}

function CredentialList({ initialDue }: { initialDue: DueFilter | null }) {
  const t = useT(credentialsCatalog)
  const locale = useLocale()
  const now = new Date()
  const searchText = useSearchText()
  const [filter, setFilter] = useState<Omit<CredentialQuery, 'search'>>({ kind: null, state: null, due: initialDue, tenantId: null })
  const search = useDebounced(searchText.fitting, 200)
  const full: CredentialQuery = { ...filter, search }
  const pages = useCredentialPages(full)
  const counts = useRpcQuery('credentials.counts', {})
  const [selected, setSelected] = useState<number | null>(null)
  const [bulkOpen, setBulkOpen] = useState(false)
  const rollGate = useGate('credentials.roll')

  const columns: Column<CredentialRow>[] = [
    {
      id: 'credential', header: t('col.credential'), width: 'minmax(240px, 2fr)',
      cell: (r) => (
        <span className="cell-title">
          <a className="link cell-title__text" href={`#/credentials/${r.tenantId}/${r.id}`} tabIndex={-1}>{r.label ?? r.clientId}</a>
          <span className="credential-muted">{r.tenantName} · {r.clientId}</span>
        </span>
      )
    },
    { id: 'kind', header: t('col.kind'), width: '140px', cell: (r) => t(`kind.${r.kind}`) },
    {
      id: 'state', header: t('col.state'), width: '190px',
      cell: (r) => (
        <span className="credential-badges">
          <span className={`badge credential-state--${r.state}`}>{t(`state.${r.state}`)}</span>
          {r.due !== 'ok' ? <span className={`badge credential-due--${r.due}`}>{t(`due.${r.due}`)}</span> : null}
          {r.rollRequestedAt ? <span className="badge badge--accent">{t('state.requested')}</span> : null}
        </span>
      )
    },
    { id: 'age', header: t('col.age'), width: '90px', align: 'end', cell: (r) => (r.activatedAt ? t('time.days', { count: daysBetween(r.activatedAt, now) }) : '') },
    { id: 'expires', header: t('col.expires'), width: '130px', cell: (r) => (r.expiresAt && r.state !== 'revoked' ? formatRelativeDays(r.expiresAt, now, locale) : '') },
    { id: 'rotated', header: t('col.rotated'), width: '130px', cell: (r) => (r.lastRotatedAt ? formatDate(r.lastRotatedAt, locale) : t('time.never')) },
    { id: 'used', header: t('col.used'), width: '130px', cell: (r) => (r.lastUsedAt ? formatRelativeDays(r.lastUsedAt, now, locale) : t('time.never')) }
  ]

  const anyOption = { value: '', label: t('list.any') }
  const c = counts.data
  const badge = (label: string, next: Partial<typeof filter>, testId: string) => (
    <button type="button" className="button button--small" onClick={() => setFilter({ kind: null, state: null, due: null, tenantId: null, ...next })} data-testid={testId}>
      {label}
    </button>
  )
  return (
    <div className="screen credentials-screen">
      <PageHeader
        title={t('area.title')}
        description={t('area.description')}
        actions={
          <>
            <ExportButton
              start={(jobId) => rpc.call('credentials.export', { filter: full, jobId })}
              label={t('list.export')}
              runningLabel={t('list.exporting')}
              doneMessage={({ rows }) => t('list.exported', { count: rows })}
              testId="credentials-export"
            />
            <button type="button" className="button button--primary" disabled={rollGate.disabled} aria-describedby={rollGate.describedBy} onClick={() => setBulkOpen(true)}>
              {t('bulk.open')}
            </button>
          </>
        }
      />
      {rollGate.note}
      {c ? (
        <div className="credential-badges" role="group" aria-label={t('list.due')}>
          {badge(t('badge.all', { count: c.total }), {}, 'badge-all')}
          {badge(t('badge.overdue', { count: c.overdue }), { due: 'overdue' }, 'badge-overdue')}
          {badge(t('badge.due', { count: c.due }), { due: 'due' }, 'badge-due')}
          {badge(t('badge.rolling', { count: c.rolling }), { state: 'rolling' }, 'badge-rolling')}
          {badge(t('badge.requested', { count: c.requested }), { state: 'requested' }, 'badge-requested')}
        </div>
      ) : null}
      <div className="credential-filters" role="search">
        <SearchField label={t('list.search')} hint={t('list.searchHint')} search={searchText} autoFocus />
        <SelectField label={t('list.kind')} value={filter.kind ?? ''} options={[anyOption, ...CREDENTIAL_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))]}
          onChange={(e) => setFilter((f) => ({ ...f, kind: (e.target.value || null) as CredentialQuery['kind'] }))} />
        <SelectField label={t('list.state')} value={filter.state ?? ''} options={[anyOption, ...CREDENTIAL_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))]}
          onChange={(e) => setFilter((f) => ({ ...f, state: (e.target.value || null) as CredentialQuery['state'] }))} />
        <SelectField label={t('list.due')} value={filter.due ?? ''} options={[anyOption, ...DUE_FILTERS.map((d) => ({ value: d, label: t(`due.${d}`) }))]}
          onChange={(e) => setFilter((f) => ({ ...f, due: (e.target.value || null) as CredentialQuery['due'] }))} />
      </div>
      {pages.error && !pages.loaded ? (
        <ErrorState error={pages.error} onRetry={pages.reload} />
      ) : (
        <div className="credential-table">
          <VirtualTable
            label={t('list.table')}
            columns={columns}
            rowCount={pages.rows.length}
            getRow={(i) => pages.rows[i]}
            rowHeight={44}
            selectedIndex={selected}
            onSelect={setSelected}
            onActivate={(i) => {
              const row = pages.rows[i]
              if (row) navigate(['credentials', row.tenantId, row.id])
            }}
            onRangeChange={pages.onRange}
            footer={<span role="status">{pages.loaded && pages.rows.length === 0 ? t('list.empty') : t('list.loaded', { count: pages.rows.length })}</span>}
          />
        </div>
      )}
      <PolicyPanel />
      <BulkRollDialog open={bulkOpen} onClose={() => setBulkOpen(false)} onDone={() => { pages.reload(); counts.reload() }} />
    </div>
  )
}

function PolicyPanel() {
  const t = useT(credentialsCatalog)
  const tf = useT(frameCatalog)
  const locale = useLocale()
  const policies = useRpcQuery('credentials.policies', {})
  const gate = useGate('credentials.setPolicy')
  const [drafts, setDrafts] = useState<Record<string, string>>({})
  // A kind whose text was refused as no whole number on save ("1,5", "4.000" in English).
  const [refused, setRefused] = useState<string | null>(null)
  return (
    <Panel title={t('policy.title')} titleId="credential-policy" bodyClassName="panel__body stack">
      <p className="muted">{t('policy.intro', { days: CREDENTIAL_DUE_DAYS })}</p>
      {gate.note}
      <div className="credential-policy">
        {(policies.data?.policies ?? []).map((p) => (
          <form
            key={p.kind}
            onSubmit={(e) => {
              e.preventDefault()
              const maxAgeDays = wholeNumberOf(drafts[p.kind] ?? String(p.maxAgeDays), locale)
              setRefused(Number.isNaN(maxAgeDays) ? p.kind : null)
              if (Number.isNaN(maxAgeDays)) return
              void runMutation(() => rpc.call('credentials.setPolicy', { kind: p.kind, maxAgeDays }), {
                success: () => t('policy.saved'),
                onSuccess: policies.reload
              })
            }}
          >
            <WholeNumberField label={`${t(`kind.${p.kind}`)} · ${t('policy.days')}`} value={drafts[p.kind] ?? String(p.maxAgeDays)} disabled={gate.disabled} error={refused === p.kind ? tf('number.notWhole') : undefined}
              aria-describedby={gate.describedBy} onChange={(e) => setDrafts((d) => ({ ...d, [p.kind]: e.target.value }))} />
            <button type="submit" className="button" disabled={gate.disabled} aria-describedby={gate.describedBy}>{t('policy.save')}</button>
          </form>
        ))}
      </div>
    </Panel>
  )
}

export function GraceField({ value, onChange }: { value: GracePeriod; onChange(value: GracePeriod): void }) {
  const t = useT(credentialsCatalog)
  return <SelectField label={t('grace.label')} value={value} options={GRACE_PERIODS.map((g) => ({ value: g, label: t(`grace.${g}`) }))} onChange={(e) => onChange(e.target.value as GracePeriod)} />
}

function BulkRollDialog({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const t = useT(credentialsCatalog)
  const [grace, setGrace] = useState<GracePeriod>('24h')
  const [due, setDue] = useState<CredentialRow[] | null>(null)
  const [job, setJob] = useState<ProgressEvent | null>(null)
  const [running, setRunning] = useState(false)
  const [shown, setShown] = useState<ShownSecret[] | null>(null)
  useEffect(() => {
    if (!open) return
    setJob(null)
    void rpc.call('credentials.list', { due: 'attention', state: null, kind: null, search: '', tenantId: null, after: null, limit: 500 }).then((page) => setDue(page.rows), () => setDue([]))
  }, [open])
  const start = async () => {
    if (!due?.length) return
    const jobId = `roll-${crypto.randomUUID()}`
    const stop = onServerEvent((event) => {
      if (event.type === 'progress' && event.jobId === jobId) setJob(event)
    })
    setRunning(true)
    const result = await runMutation(
      () => rpc.call('credentials.rollMany', { targets: due.map((r) => ({ tenantId: r.tenantId, credentialId: r.id, seenVersion: r.version })), grace, jobId }),
      { success: (r) => t('bulk.done', { rolled: r.rolled.length, failed: r.failed.length }), onSettled: () => { stop(); setRunning(false) } }
    )
    if (!result) return
    const labels = new Map(due.map((r) => [r.id, r.label ?? r.clientId]))
    setShown(result.rolled.map((r) => ({ credentialId: r.credentialId, label: labels.get(r.credentialId) ?? r.credentialId, secret: r.secret, jwtKid: r.version.jwtKid })))
    onDone()
    onClose()
  }
  return (
    <>
      <Dialog
        open={open}
        title={t('bulk.title')}
        onClose={onClose}
        footer={
          <>
            <span className="spacer" />
            <button type="button" className="button button--primary" disabled={running || !due?.length} onClick={() => void start()} data-testid="bulk-start">
              {t('bulk.start', { count: due?.length ?? 0 })}
            </button>
          </>
        }
      >
        <div className="stack">
          <p>{due?.length ? t('bulk.intro', { count: due.length }) : t('bulk.none')}</p>
          <GraceField value={grace} onChange={setGrace} />
          {job ? <ProgressBar job={job} /> : null}
        </div>
      </Dialog>
      <SecretDialog secrets={shown} onClose={() => setShown(null)} />
    </>
  )
}
