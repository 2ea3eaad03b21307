import type { TenantName } from '../../../../shared/rpc/areas/tenants'
import { PageHeader } from '../../components/PageHeader'
import type { Column } from '../../components/VirtualTable/VirtualTable'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import { useLocale, useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { planLabel } from './format'
import { tenantsCatalog } from './messages'
import { StatusBadge } from './StatusBadge'
import { TenantTable } from './TenantTable'
import { usePages } from './usePages'

/**
 * The tenant list of groups without the support directory (finance, moderators): names, slugs and,
 * where their grants include them, plans and statuses. Rows open nothing: these groups have no
 * tenant detail.
 */
export function TenantNames() {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const searchText = useSearchText()
  const search = useDebounced(searchText.fitting, 200)
  const pages = usePages({ search }, (offset, limit) => rpc.call('tenants.names', { search, offset, limit }))
  const unknown = <span className="tenant-muted">{t('names.notGranted')}</span>

  const columns: Column<TenantName>[] = [
    {
      id: 'name', header: t('col.name'), width: 'minmax(220px, 2fr)',
      cell: (r) => (
        <span className="cell-title">
          <span className="cell-title__text">{r.name}</span>
          <span className="tenant-muted">{r.slug}</span>
        </span>
      )
    },
    { id: 'status', header: t('col.status'), width: '140px', cell: (r) => (r.status ? <StatusBadge status={r.status} /> : unknown) },
    { id: 'plan', header: t('col.plan'), width: '160px', cell: (r) => (r.plan === null ? unknown : planLabel(r.plan, locale)) }
  ]

  return (
    <div className="screen tenants-screen">
      <PageHeader title={t('area.title')} description={t('names.description')} />
      <div className="tenant-filters" role="search">
        <SearchField label={t('directory.search')} hint={t('names.searchHint')} search={searchText} autoFocus />
      </div>
      <TenantTable pages={pages} columns={columns} emptyMessage={t('names.empty')} />
    </div>
  )
}
