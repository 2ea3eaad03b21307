import type { TenantName } from '../../../../shared/rpc/areas/tenants'
import { PageHeader } from '../../components/PageHeader'
import type { Column } from '../../components/VirtualTable/VirtualTable'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import { formatRelative } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { navigate } from '../../routing/route'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { rpc } from '../../rpc/transport'
import { planLabel } from './format'
import { tenantsCatalog } from './messages'
import { StatusBadge } from './StatusBadge'
import { TenantTable } from './TenantTable'
import { usePages } from './usePages'

/**
 * The tenant list of groups without the support directory (finance, moderators): names, slugs and,
 * where their grants include them, plans and statuses. Rows open nothing: these groups have no
 * tenant detail. Offline it is everyone's list, read from the cache's copy of the synced tenants'
 * directory; rows then open what the cache holds of the tenant, and the header says what needs the server.
 */
export function TenantNames({ offline = false }: { offline?: boolean }) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const status = useRpcQuery('sync.status', {})
  const syncedAt = status.data?.lastSyncAt ?? null
  const searchText = useSearchText()
  const search = useDebounced(searchText.fitting, 200)
  const pages = usePages({ search }, (offset, limit) => rpc.call('tenants.names', { search, offset, limit }))
  const unknown = <span className="tenant-muted">{t('names.notGranted')}</span>

  const columns: Column<TenantName>[] = [
    {
      id: 'name', header: t('col.name'), width: 'minmax(220px, 2fr)',
      cell: (r) => (
        <span className="cell-title">
          {offline ? (
            <a className="link cell-title__text" href={hrefOf(['tenants', r.id])} tabIndex={-1}>
              {r.name}
            </a>
          ) : (
            <span className="cell-title__text">{r.name}</span>
          )}
          <span className="tenant-muted">{r.slug}</span>
        </span>
      )
    },
    { id: 'status', header: t('col.status'), width: '140px', cell: (r) => (r.status ? <StatusBadge status={r.status} /> : unknown) },
    { id: 'plan', header: t('col.plan'), width: '160px', cell: (r) => (r.plan === null ? unknown : planLabel(r.plan, locale)) }
  ]

  return (
    <div className="screen tenants-screen">
      <PageHeader title={t('area.title')} description={offline ? t('offline.description') : t('names.description')} />
      {offline ? (
        <p className="callout" data-testid="tenants-offline">
          {syncedAt ? t('offline.fromCache', { when: formatRelative(syncedAt, new Date(), locale) }) : t('offline.fromCacheNever')} {t('offline.needsServer')}
        </p>
      ) : null}
      <div className="tenant-filters" role="search">
        <SearchField label={t('directory.search')} hint={t('names.searchHint')} search={searchText} autoFocus />
      </div>
      <TenantTable pages={pages} columns={columns} emptyMessage={offline ? t('offline.empty') : t('names.empty')} onActivate={offline ? (row) => navigate(['tenants', row.id]) : undefined} />
    </div>
  )
}
