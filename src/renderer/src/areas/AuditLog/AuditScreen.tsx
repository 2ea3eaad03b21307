import { useMemo, useState } from 'react'
import { auditActionSchema, type AuditRow } from '../../../../shared/rpc/areas/audit'
import { SelectField, TextField } from '../../components/Field'
import { ReviewScreen } from '../../components/review/ReviewScreen'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import type { Column } from '../../components/VirtualTable/VirtualTable'
import { useLocale, useT } from '../../i18n/useT'
import type { AreaScreenProps } from '../types'
import { fromOf, TenantFilter, TimeFilter, useTenantNames, type TimePreset } from '../../components/review/ReviewToolbar'
import { formatDateTime } from '../../i18n/format'
import { useKeysetList } from '../../rpc/useKeysetList'
import { actionLabel, AuditDetailPanel } from './AuditDetailPanel'
import { ChainStatus } from './ChainStatus'
import { ExportButton } from './ExportButton'
import { auditCatalog } from './messages'
import { linkedRecord, recordAddress, showInAddress } from '../../components/review/linked'
import './audit.css'

type AuditAction = (typeof auditActionSchema.options)[number]

const RESOURCE_TYPE = /^[a-z_][a-z0-9_]*$/

/** #/audit/open/<tenantId>/<id> (a shared link) opens that entry beside the list; a new address starts afresh. */
export default function AuditScreen({ path }: AreaScreenProps) {
  return <AuditList key={path.join('/')} path={path} />
}

function AuditList({ path }: AreaScreenProps) {
  const t = useT(auditCatalog)
  const locale = useLocale()
  const [tenantId, setTenantId] = useState<string | undefined>()
  const [actor, setActor] = useState('')
  const [action, setAction] = useState<AuditAction | undefined>()
  const [resourceType, setResourceType] = useState('')
  const [time, setTime] = useState<{ preset: TimePreset; at: number }>({ preset: 'all', at: Date.now() })
  const text = useSearchText()
  const typed = useDebounced({ actor: actor.trim(), resourceType: resourceType.trim(), text: text.fitting })
  const resourceTypeInvalid = typed.resourceType !== '' && !RESOURCE_TYPE.test(typed.resourceType)

  const filter = useMemo(() => {
    const from = fromOf(time.preset, time.at)
    return {
      ...(tenantId ? { tenantId } : {}),
      ...(typed.actor ? { actor: typed.actor } : {}),
      ...(action ? { action } : {}),
      ...(typed.resourceType && !resourceTypeInvalid ? { resourceType: typed.resourceType } : {}),
      ...(from ? { from } : {}),
      ...(typed.text ? { text: typed.text } : {})
    }
  }, [tenantId, typed, action, time, resourceTypeInvalid])
  const list = useKeysetList('audit.list', filter)
  const tenantName = useTenantNames()
  const [linked, setLinked] = useState(() => linkedRecord(path))

  const columns: Column<AuditRow>[] = [
    { id: 'time', header: t('column.time'), width: '170px', cell: (r) => <time dateTime={r.createdAt}>{formatDateTime(r.createdAt, locale)}</time> },
    { id: 'tenant', header: t('column.tenant'), width: 'minmax(120px, 1fr)', cell: (r) => tenantName(r.tenantId) },
    { id: 'actor', header: t('column.actor'), width: 'minmax(140px, 1fr)', cell: (r) => <span className="cell-ellipsis">{r.actor}</span> },
    { id: 'action', header: t('column.action'), width: '90px', cell: (r) => <span className="badge">{actionLabel(r.action, t)}</span> },
    { id: 'resource', header: t('column.resourceType'), width: 'minmax(140px, 1fr)', cell: (r) => r.resourceType },
    { id: 'resourceId', header: t('column.resourceId'), width: 'minmax(120px, 1fr)', cell: (r) => <span className="cell-ellipsis mono">{r.resourceId ?? '—'}</span> }
  ]

  return (
    <ReviewScreen
      title={t('area.title')}
      description={t('area.description')}
      actions={<ExportButton filter={filter} />}
      filters={
        <>
          <TenantFilter value={tenantId} onChange={setTenantId} />
          <TextField label={t('filter.actor')} value={actor} maxLength={63} onChange={(event) => setActor(event.target.value)} />
          <SelectField
            label={t('filter.action')}
            value={action ?? ''}
            options={[{ value: '', label: t('filter.anyAction') }, ...auditActionSchema.options.map((a) => ({ value: a, label: t(`action.${a}`) }))]}
            // The empty option (any action) is no action, so it parses to undefined.
            onChange={(event) => setAction(auditActionSchema.safeParse(event.target.value).data)}
          />
          <TextField
            label={t('filter.resourceType')}
            hint={t('filter.resourceTypeHint')}
            value={resourceType}
            maxLength={100}
            {...(resourceTypeInvalid ? { error: t('filter.resourceTypeHint') } : {})}
            onChange={(event) => setResourceType(event.target.value)}
          />
          <TimeFilter value={time.preset} onChange={(preset) => setTime({ preset, at: Date.now() })} />
          <SearchField label={t('filter.text')} hint={t('filter.textHint')} search={text} />
        </>
      }
      above={<ChainStatus tenantId={tenantId} />}
      list={list}
      tableLabel={t('table.label')}
      columns={columns}
      countTestId="audit-count"
      detail={(row, close) => <AuditDetailPanel key={row.id} record={row} onClose={close} />}
      linked={
        linked ? (
          <AuditDetailPanel
            key={linked.id}
            record={linked}
            onClose={() => {
              setLinked(null)
              showInAddress(['audit'])
            }}
          />
        ) : null
      }
      onOpen={(row) => {
        if (row) setLinked(null)
        showInAddress(row ? recordAddress('audit', row) : ['audit'])
      }}
    />
  )
}
