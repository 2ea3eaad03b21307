import { useMemo, useState } from 'react'
import { executionStatusSchema, type ExecutionRow } from '../../../../shared/rpc/areas/executions'
import { SelectField } from '../../components/Field'
import { ReviewScreen } from '../../components/review/ReviewScreen'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import type { Column } from '../../components/VirtualTable/VirtualTable'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import type { AreaScreenProps } from '../types'
import { ExecutionDetailPanel } from './ExecutionDetailPanel'
import { StatusBadge } from './StatusBadge'
import { fromOf, TenantFilter, TimeFilter, useTenantNames, type TimePreset } from '../../components/review/ReviewToolbar'
import { formatDateTime, formatNumber } from '../../i18n/format'
import { useKeysetList } from '../../rpc/useKeysetList'
import { linkedRecord, recordAddress, showInAddress } from '../../components/review/linked'
import { useIsOnline } from '../../stores/connection'
import { executionsCatalog } from './messages'
import './executions.css'

const STATUSES = executionStatusSchema.options
type ExecutionStatus = (typeof STATUSES)[number]

/**
 * #/executions/failing/<tenantId> (where the inbox's "failing more than usual" leads) opens on that
 * tenant's runs of the last day, errors and crashes among them (the status filter takes one status,
 * so it stays open); the filters stay the operator's to change. #/executions/open/<tenantId>/<id>
 * (a shared link, or a failed run on the tenant overview) opens that execution beside the list.
 */
function initialFilter(path: string[]): { tenantId?: string; preset: TimePreset } {
  const [view, tenantId] = path
  if (view === 'failing' && tenantId) return { tenantId, preset: 'day' }
  return { preset: 'all' }
}

/** A new address (another tenant's failures) starts from its own filters. */
export default function ExecutionsScreen({ path }: AreaScreenProps) {
  return <ExecutionsList key={path.join('/')} path={path} />
}

function ExecutionsList({ path }: AreaScreenProps) {
  const t = useT(executionsCatalog)
  const locale = useLocale()
  const [initial] = useState(() => initialFilter(path))
  const [tenantId, setTenantId] = useState<string | undefined>(initial.tenantId)
  const [workflowId, setWorkflowId] = useState<string | undefined>()
  const [status, setStatus] = useState<ExecutionStatus | undefined>()
  const [time, setTime] = useState<{ preset: TimePreset; at: number }>({ preset: initial.preset, at: Date.now() })
  const errorText = useSearchText()
  const search = useDebounced(errorText.fitting)
  const online = useIsOnline()
  const [archivedWanted, setArchivedWanted] = useState(false)
  // The cache never holds archived executions: offline the switch is off and says why.
  const includeArchived = archivedWanted && online

  const filter = useMemo(
    () => ({
      ...(tenantId ? { tenantId } : {}),
      ...(workflowId ? { workflowId } : {}),
      ...(status ? { status } : {}),
      ...(fromOf(time.preset, time.at) ? { from: fromOf(time.preset, time.at) } : {}),
      ...(search ? { errorText: search } : {}),
      ...(includeArchived ? { includeArchived } : {})
    }),
    [tenantId, workflowId, status, time, search, includeArchived]
  )
  const list = useKeysetList('executions.list', filter)
  const tenantName = useTenantNames()
  const [linked, setLinked] = useState(() => linkedRecord(path))

  const columns: Column<ExecutionRow>[] = [
    { id: 'started', header: t('column.started'), width: '170px', cell: (r) => <time dateTime={r.startedAt}>{formatDateTime(r.startedAt, locale)}</time> },
    { id: 'tenant', header: t('column.tenant'), width: 'minmax(120px, 1fr)', cell: (r) => tenantName(r.tenantId) },
    { id: 'workflow', header: t('column.workflow'), width: 'minmax(140px, 1.2fr)', cell: (r) => r.workflowName ?? r.workflowId.slice(0, 8) },
    {
      id: 'status',
      header: t('column.status'),
      width: '100px',
      cell: (r) => (
        <>
          <StatusBadge status={r.status} />
          {r.archived ? <span className="badge" data-testid="archived-badge">{t('row.archived')}</span> : null}
        </>
      )
    },
    { id: 'duration', header: t('column.duration'), width: '90px', align: 'end', cell: (r) => (r.executionTimeMs === null ? '—' : `${formatNumber(r.executionTimeMs, locale)} ms`) },
    { id: 'error', header: t('column.error'), width: 'minmax(200px, 2fr)', cell: (r) => <span className="cell-ellipsis" title={r.errorMessage ?? undefined}>{r.errorMessage ?? ''}</span> }
  ]

  return (
    <ReviewScreen
      title={t('area.title')}
      description={t('area.description')}
      filters={
        <>
          <TenantFilter
            value={tenantId}
            onChange={(id) => {
              setTenantId(id)
              setWorkflowId(undefined)
            }}
          />
          <WorkflowFilter tenantId={tenantId} value={workflowId} onChange={setWorkflowId} />
          <SelectField
            label={t('filter.status')}
            value={status ?? ''}
            options={[{ value: '', label: t('filter.allStatuses') }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
            // The empty option (any status) is no status, so it parses to undefined.
            onChange={(event) => setStatus(executionStatusSchema.safeParse(event.target.value).data)}
          />
          <TimeFilter value={time.preset} onChange={(preset) => setTime({ preset, at: Date.now() })} />
          <SearchField label={t('filter.errorText')} hint={t('filter.errorTextHint')} search={errorText} />
          <div className="executions-archived">
            <label className="choice">
              <input
                type="checkbox"
                checked={includeArchived}
                disabled={!online}
                aria-describedby={online ? undefined : 'executions-archived-offline'}
                onChange={(event) => setArchivedWanted(event.target.checked)}
              />
              <span>{t('filter.includeArchived')}</span>
            </label>
            {online ? null : (
              <p id="executions-archived-offline" className="field__hint">
                {t('filter.includeArchivedOffline')}
              </p>
            )}
          </div>
        </>
      }
      list={list}
      tableLabel={t('table.label')}
      columns={columns}
      countTestId="executions-count"
      detail={(row, close) => <ExecutionDetailPanel key={row.id} record={row} onClose={close} />}
      linked={
        linked ? (
          <ExecutionDetailPanel
            key={linked.id}
            record={linked}
            onClose={() => {
              setLinked(null)
              showInAddress(['executions'])
            }}
          />
        ) : null
      }
      onOpen={(row) => {
        if (row) setLinked(null)
        showInAddress(row ? recordAddress('executions', row) : ['executions'])
      }}
    />
  )
}

function WorkflowFilter({ tenantId, value, onChange }: { tenantId: string | undefined; value: string | undefined; onChange(id: string | undefined): void }) {
  const t = useT(executionsCatalog)
  if (!tenantId) return <SelectField label={t('filter.workflow')} value="" disabled options={[{ value: '', label: t('filter.workflowNeedsTenant') }]} />
  return <WorkflowOptions tenantId={tenantId} value={value} onChange={onChange} />
}

function WorkflowOptions({ tenantId, value, onChange }: { tenantId: string; value: string | undefined; onChange(id: string | undefined): void }) {
  const t = useT(executionsCatalog)
  const workflows = useRpcQuery('executions.workflows', { tenantId })
  const options = [{ value: '', label: t('filter.allWorkflows') }, ...(workflows.data?.workflows ?? []).map((w) => ({ value: w.id, label: w.name ?? w.id.slice(0, 8) }))]
  return <SelectField label={t('filter.workflow')} value={value ?? ''} options={options} onChange={(event) => onChange(event.target.value || undefined)} />
}
