import { Fact, Facts } from '../../components/Facts'
import { PageHeader } from '../../components/PageHeader'
import { SourceBadge } from '../../components/review/ReviewToolbar'
import { ErrorState, LoadingState } from '../../components/states'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { formatNumber } from '../../i18n/format'
import { tenantsCatalog } from './messages'
import { StatusBadge } from './StatusBadge'

/**
 * A tenant while the database cannot be reached: what the offline cache holds of it (name, status,
 * plan, industry, limits), and what needs the server, said once with the reason. Its executions and
 * audit entries are in their own areas, which read the cache too.
 */
export function CachedTenant({ tenantId }: { tenantId: string }) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const { data, error, loading, reload } = useRpcQuery('tenants.cached', { tenantId })
  if (!data) return loading ? <LoadingState /> : <ErrorState error={error} onRetry={reload} />
  const { tenant } = data
  const limit = (value: number | null) => (value === null ? t('offline.noLimit') : formatNumber(value, locale))
  const unknown = t('names.notGranted')
  return (
    <div className="screen tenants-screen" data-testid="cached-tenant">
      <p>
        <a className="link" href={hrefOf(['tenants'])}>← {t('detail.back')}</a>
      </p>
      <PageHeader title={tenant.name} description={tenant.slug} actions={<>{tenant.status ? <StatusBadge status={tenant.status} /> : null}<SourceBadge source={data.source} syncedAt={data.syncedAt} /></>} />
      <p className="callout">{t('offline.tenantNeedsServer')}</p>
      <section className="panel panel--padded">
        <Facts>
          <Fact label={t('col.plan')}>{tenant.plan ?? unknown}</Fact>
          <Fact label={t('directory.industry')}>{tenant.industry ?? '—'}</Fact>
          <Fact label={t('limit.agentUsageLimit')}>{limit(tenant.agentUsageLimit)}</Fact>
          <Fact label={t('limit.storageLimitMb')}>{limit(tenant.storageLimitMb)}</Fact>
        </Facts>
      </section>
    </div>
  )
}
