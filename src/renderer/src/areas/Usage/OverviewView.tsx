import { useRef, useState } from 'react'
import { TREND_BUCKETS, USAGE_TYPES, type Overview, type OverviewInput, type TrendBucket, type UsageType } from '../../../../shared/rpc/areas/usage'
import { SelectField } from '../../components/Field'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { rpc } from '../../rpc/transport'
import { useRpcQuery, type QueryState } from '../../rpc/useRpcQuery'
import { usageCatalog } from './messages'
import { formatBasisPoints, formatMoney, formatQuantity, Freshness, QuantityChart, TablePanel, UsageExport } from './parts'
import { PeriodPicker } from './PeriodPicker'
import { presetPeriod, resolvePeriod, type PeriodChoice } from './period'

export function OverviewView() {
  const t = useT(usageCatalog)
  const [choice, setChoice] = useState<PeriodChoice>({ preset: 'last30', custom: presetPeriod('last30') })
  const [bucket, setBucket] = useState<TrendBucket>('day')
  const [usageType, setUsageType] = useState<UsageType | null>(null)
  const [plan, setPlan] = useState<string | null>(null)
  const search = useSearchText()
  const debouncedSearch = useDebounced(search.fitting, 250)
  const { period, error: periodError } = resolvePeriod(choice)
  // A custom period being typed is refused by the same schema as the server's; the last valid one stays shown.
  const shown = useRef(period ?? presetPeriod('last30'))
  if (period) shown.current = period
  const input: OverviewInput = { period: shown.current, bucket, usageType, plan, search: debouncedSearch }
  const query = useRpcQuery('usage.overview', input)
  const plans = query.data?.plans ?? []

  return (
    <>
      <div className="usage-toolbar" role="group" aria-label={t('period.label')}>
        <PeriodPicker value={choice} onChange={setChoice} error={periodError} />
        <SelectField label={t('filter.bucket')} value={bucket} onChange={(e) => setBucket(e.target.value as TrendBucket)} options={TREND_BUCKETS.map((b) => ({ value: b, label: t(`bucket.${b}`) }))} data-testid="usage-bucket" />
        <SelectField
          label={t('filter.type')}
          value={usageType ?? ''}
          onChange={(e) => setUsageType((e.target.value || null) as UsageType | null)}
          options={[{ value: '', label: t('filter.anyType') }, ...USAGE_TYPES.map((u) => ({ value: u, label: t(`type.${u}`) }))]}
          data-testid="usage-type"
        />
        <SelectField
          label={t('filter.plan')}
          value={plan ?? ''}
          onChange={(e) => setPlan(e.target.value || null)}
          options={[{ value: '', label: t('filter.anyPlan') }, ...plans.map((p) => ({ value: p, label: p }))]}
          data-testid="usage-plan"
        />
        <SearchField label={t('filter.search')} hint={t('filter.searchHint')} search={search} data-testid="usage-search" />
      </div>
      <OverviewBody input={input} query={query} />
    </>
  )
}

function OverviewBody({ input, query }: { input: OverviewInput; query: QueryState<Overview> }) {
  const t = useT(usageCatalog)
  const locale = useLocale()
  const { data, error, loading, reload } = query
  if (!data) return loading ? <LoadingState /> : <ErrorState error={error} onRetry={reload} />
  const exportOf = (table: 'totals' | 'trend' | 'topTenants') => (jobId: string) => rpc.call('usage.export', { table, input: { ...input, source: data.source }, jobId })
  return (
    <>
      <Freshness answer={data} />
      <TablePanel id="usage-totals" title={t('totals.title')} actions={<UsageExport start={exportOf('totals')} testId="usage-export-totals" />}>
        {data.totals.length === 0 ? (
          <EmptyState title={t('totals.none')} />
        ) : (
          <table className="table">
            <thead>
              <tr><th scope="col">{t('col.type')}</th><th scope="col">{t('col.currency')}</th><th scope="col" className="num">{t('col.quantity')}</th><th scope="col" className="num">{t('col.amount')}</th></tr>
            </thead>
            <tbody>
              {data.totals.map((row) => (
                <tr key={`${row.usageType}|${row.currency}`} data-testid="usage-total-row" data-currency={row.currency} data-type={row.usageType} data-amount={row.amount}>
                  <th scope="row">{t(`type.${row.usageType}`)}</th>
                  <td>{row.currency}</td>
                  <td className="num">{formatQuantity(row.quantity, locale)}</td>
                  <td className="num">{formatMoney(row.amount, row.currency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </TablePanel>
      <div className="usage-panel__header">
        <span />
        <UsageExport start={exportOf('trend')} testId="usage-export-trend" />
      </div>
      <QuantityChart points={data.trend} title={t('trend.title')} testId="usage-trend" />
      <TablePanel id="usage-top" title={t('top.title')} actions={<UsageExport start={exportOf('topTenants')} testId="usage-export-top" />}>
        {data.topTenants.length === 0 ? (
          <EmptyState title={t('top.none')} />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('col.tenant')}</th><th scope="col">{t('col.plan')}</th><th scope="col">{t('col.currency')}</th>
                <th scope="col" className="num">{t('col.amount')}</th><th scope="col" className="num">{t('col.share')}</th>
                <th scope="col" className="num">{t('col.previous')}</th><th scope="col" className="num">{t('col.change')}</th>
              </tr>
            </thead>
            <tbody>
              {data.topTenants.map((row) => (
                <tr key={`${row.tenantId}|${row.currency}`} data-testid="usage-top-row" data-tenant={row.tenantId}>
                  <th scope="row"><a className="link" href={hrefOf(['usage', 'tenant', row.tenantId])}>{row.name}</a></th>
                  <td>{row.plan ?? '—'}</td>
                  <td>{row.currency}</td>
                  <td className="num">{formatMoney(row.amount, row.currency, locale)}</td>
                  <td className="num">{row.shareBp === null ? '—' : formatBasisPoints(row.shareBp, locale)}</td>
                  <td className="num">{formatMoney(row.previousAmount, row.currency, locale)}</td>
                  <td className="num">{row.changeBp === null ? t('top.new') : formatBasisPoints(row.changeBp, locale, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </TablePanel>
    </>
  )
}
