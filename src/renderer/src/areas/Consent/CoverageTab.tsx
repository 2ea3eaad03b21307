import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { ErrorState, LoadingState } from '../../components/states'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import type { TenantTabProps } from './ConsentScreen'
import { formatCount, formatDay, formatPercent } from './format'
import { consentCatalog } from './messages'

/** The share of active people with each consent type, and grants and revocations per day. */
export function CoverageTab({ tenantId }: TenantTabProps) {
  const t = useT(consentCatalog)
  const locale = useLocale()
  const coverage = useRpcQuery('consent.coverage', { tenantId })
  if (!coverage.data) return coverage.loading ? <LoadingState /> : <ErrorState error={coverage.error} onRetry={coverage.reload} />
  const data = coverage.data
  const grants = data.overTime.reduce((n, d) => n + d.grants, 0)
  const revocations = data.overTime.reduce((n, d) => n + d.revocations, 0)
  return (
    <>
      <section className="panel panel--padded" aria-labelledby="consent-coverage-title" data-testid="consent-coverage">
        <h2 id="consent-coverage-title" className="panel__title">{t('coverage.share')}</h2>
        <p className="consent-muted">{t('coverage.active', { count: data.activeUsers, days: data.activeDays })}</p>
        {data.activeUsers === 0 ? <p className="callout">{t('coverage.none')}</p> : null}
        <table className="table" aria-label={t('coverage.share')}>
          <thead>
            <tr>
              <th scope="col">{t('column.type')}</th>
              <th scope="col">{t('state.granted')}</th>
              <th scope="col">{t('coverage.share')}</th>
            </tr>
          </thead>
          <tbody>
            {data.types.map((row) => (
              <tr key={row.consentType}>
                <td>{row.consentType}</td>
                <td>{formatCount(row.granted, locale)}</td>
                <td>{row.share === null ? '—' : formatPercent(row.share, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel panel--padded" aria-labelledby="consent-chart-title">
        <h2 id="consent-chart-title" className="panel__title">{t('coverage.chart', { days: data.days })}</h2>
        {/* The sentence says in words what the chart draws; the chart itself is keyboard-explorable (recharts' accessibility layer). */}
        <p>{t('coverage.summary', { grants, revocations })}</p>
        <div className="consent-chart">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data.overTime} accessibilityLayer title={t('coverage.chart', { days: data.days })}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="day" tickFormatter={(day: string) => formatDay(day, locale)} stroke="var(--text-muted)" minTickGap={24} />
              <YAxis allowDecimals={false} stroke="var(--text-muted)" />
              <Tooltip labelFormatter={(day) => formatDay(String(day), locale)} />
              <Legend />
              <Bar dataKey="grants" name={t('coverage.grants')} fill="var(--success)" isAnimationActive={false} />
              <Bar dataKey="revocations" name={t('coverage.revocations')} fill="var(--danger)" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>
    </>
  )
}
