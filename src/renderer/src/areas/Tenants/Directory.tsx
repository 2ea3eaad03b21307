import { useState } from 'react'
import { TENANT_STATUSES, type DirectoryQuery, type DirectoryRow, type DirectorySort, type TenantStatus } from '../../../../shared/rpc/areas/tenants'
import { ExportButton } from '../../components/ExportButton'
import { PageHeader } from '../../components/PageHeader'
import { SelectField } from '../../components/Field'
import type { Column } from '../../components/VirtualTable/VirtualTable'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import { Icon } from '../../components/Icon'
import { useLocale, useT } from '../../i18n/useT'
import { navigate } from '../../routing/route'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { AccessDialog } from './AccessDialog'
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../../i18n/format'
import { industryLabel, planLabel } from './format'
import { tenantsCatalog } from './messages'
import { StatusBadge } from './StatusBadge'
import { TenantTable } from './TenantTable'
import { usePages } from './usePages'

export function Directory() {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const searchText = useSearchText()
  const [filter, setFilter] = useState<Omit<DirectoryQuery, 'search'>>({ status: null, plan: null, industry: null, sort: 'name', direction: 'asc' })
  const [accessOpen, setAccessOpen] = useState(false)
  const search = useDebounced(searchText.fitting, 200)
  const full: DirectoryQuery = { ...filter, search }
  const pages = usePages(full, (offset, limit) => rpc.call('tenants.list', { ...full, offset, limit }))
  const facets = useRpcQuery('tenants.facets', {})

  const sortable = (id: DirectorySort) => ({
    sort: filter.sort === id ? (filter.direction === 'asc' ? ('ascending' as const) : ('descending' as const)) : ('none' as const),
    onSort: () => setFilter((f) => ({ ...f, sort: id, direction: f.sort === id && f.direction === 'asc' ? 'desc' : 'asc' }))
  })

  const columns: Column<DirectoryRow>[] = [
    {
      id: 'name', header: t('col.name'), width: 'minmax(220px, 2fr)', ...sortable('name'),
      cell: (r) => (
        <span className="cell-title">
          <a className="link cell-title__text" href={`#/tenants/${r.id}`} tabIndex={-1}>{r.name}</a>
          {r.breakGlassUntil ? (
            <span className="badge tenant-break-glass" data-testid="directory-break-glass">
              {t('directory.breakGlass', { time: formatDateTime(r.breakGlassUntil, locale) })}
            </span>
          ) : null}
          <span className="tenant-muted" title={r.domains[0]}>{r.slug}{r.domains[0] ? ` · ${r.domains[0]}` : ''}</span>
        </span>
      )
    },
    { id: 'status', header: t('col.status'), width: '120px', ...sortable('status'), cell: (r) => <StatusBadge status={r.status} /> },
    { id: 'plan', header: t('col.plan'), width: '120px', ...sortable('plan'), cell: (r) => planLabel(r.plan, locale) },
    { id: 'verified', header: t('col.verifiedDomains'), width: '140px', align: 'end', ...sortable('verifiedDomains'), cell: (r) => `${r.verifiedDomains} / ${r.domainCount}` },
    {
      id: 'usage', header: t('col.usage'), width: '170px', align: 'end', ...sortable('usage'),
      cell: (r) => (
        <span className={r.usageRatio !== null && r.usageRatio > 1 ? 'tenant-over' : undefined}>
          {r.usageRatio === null ? `${formatNumber(r.agentUsage, locale)} (${t('usage.noLimit')})` : `${formatPercent(r.usageRatio, locale)} · ${formatNumber(r.agentUsage, locale)}`}
        </span>
      )
    },
    { id: 'credentials', header: t('col.credentials'), width: '200px', align: 'end', ...sortable('credentialsExpiring'), cell: (r) => (r.credentialsExpiring > 0 ? <span className="tenant-warn">{r.credentialsExpiring}</span> : '0') },
    { id: 'created', header: t('col.created'), width: '120px', ...sortable('createdAt'), cell: (r) => formatDate(r.createdAt, locale) }
  ]

  const anyOption = { value: '', label: t('directory.any') }
  return (
    <div className="screen tenants-screen">
      <PageHeader
        title={t('area.title')}
        description={t('area.description')}
        actions={
          <>
            <ExportButton
              start={(jobId) => rpc.call('tenants.export', { filter: full, jobId })}
              label={t('directory.export')}
              runningLabel={t('directory.exporting')}
              doneMessage={({ rows }) => t('directory.exported', { count: rows })}
              testId="directory-export"
            />
            <button type="button" className="button button--primary" onClick={() => setAccessOpen(true)}>
              <Icon name="plus" />
              {t('directory.requestAccess')}
            </button>
          </>
        }
      />
      <div className="tenant-filters" role="search">
        <SearchField label={t('directory.search')} hint={t('directory.searchHint')} search={searchText} autoFocus />
        <SelectField
          label={t('directory.status')}
          value={filter.status ?? ''}
          options={[anyOption, ...TENANT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          onChange={(e) => setFilter((f) => ({ ...f, status: (e.target.value || null) as TenantStatus | null }))}
        />
        <SelectField label={t('directory.plan')} value={filter.plan ?? ''} options={[anyOption, ...(facets.data?.plans ?? []).map((p) => ({ value: p, label: planLabel(p, locale) }))]} onChange={(e) => setFilter((f) => ({ ...f, plan: e.target.value || null }))} />
        <SelectField
          label={t('directory.industry')}
          value={filter.industry ?? ''}
          options={[anyOption, ...(facets.data?.industries ?? []).map((i) => ({ value: i, label: industryLabel(i, locale) }))]}
          onChange={(e) => setFilter((f) => ({ ...f, industry: e.target.value || null }))}
        />
      </div>
      <TenantTable pages={pages} columns={columns} emptyMessage={t('directory.empty')} onActivate={(row) => navigate(['tenants', row.id])} />
      <AccessDialog open={accessOpen} onClose={() => setAccessOpen(false)} />
    </div>
  )
}
