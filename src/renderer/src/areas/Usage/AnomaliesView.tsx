import { useState } from 'react'
import { ANOMALY_THRESHOLD, type Anomaly } from '../../../../shared/rpc/areas/usage'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { usageCatalog } from './messages'
import { formatQuantity, Freshness, QuantityChart, TablePanel, UsageExport } from './parts'
import { formatDay } from '../../i18n/format'
import { presetPeriod } from './period'

/** Unusual days by robust score, each with its tenant's chart; and who is over a limit now. */
export function AnomaliesView() {
  const t = useT(usageCatalog)
  const locale = useLocale()
  const [input] = useState(() => ({ period: presetPeriod('last30') }))
  const { data, error, loading, reload } = useRpcQuery('usage.anomalies', input)
  const [chosen, setChosen] = useState<Anomaly | null>(null)
  if (!data) return loading ? <LoadingState /> : <ErrorState error={error} onRetry={reload} />
  const shown = chosen ?? data.anomalies[0] ?? null
  const exportOf = (table: 'anomalies' | 'overLimit') => (jobId: string) => rpc.call('usage.export', { table, input: { ...input, source: data.source }, jobId })
  return (
    <>
      <Freshness answer={data} />
      <p className="usage-muted">{t('anomalies.explain', { threshold: ANOMALY_THRESHOLD })}</p>
      <TablePanel id="usage-anomalies" title={t('anomalies.title')} actions={<UsageExport start={exportOf('anomalies')} testId="usage-export-anomalies" />}>
        {data.anomalies.length === 0 ? (
          <EmptyState title={t('anomalies.none')} />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('col.date')}</th><th scope="col">{t('col.tenant')}</th><th scope="col">{t('col.type')}</th>
                <th scope="col" className="num">{t('col.quantity')}</th><th scope="col" className="num">{t('col.median')}</th><th scope="col" className="num">{t('col.score')}</th><th scope="col" />
              </tr>
            </thead>
            <tbody>
              {data.anomalies.map((a) => {
                const selected = shown !== null && a.tenantId === shown.tenantId && a.date === shown.date && a.usageType === shown.usageType
                return (
                  <tr key={`${a.tenantId}|${a.usageType}|${a.date}`} className={selected ? 'usage-row--selected' : undefined} data-testid="usage-anomaly-row" data-tenant={a.tenantId} data-date={a.date}>
                    <th scope="row">{formatDay(a.date, locale)}</th>
                    <td><a className="link" href={hrefOf(['usage', 'tenant', a.tenantId])}>{a.name}</a></td>
                    <td>{t(`type.${a.usageType}`)}</td>
                    <td className="num">{formatQuantity(a.quantity, locale)}</td>
                    <td className="num">{formatQuantity(a.median, locale)}</td>
                    <td className="num">{formatQuantity(a.score, locale)}</td>
                    <td>
                      <button type="button" className="button" aria-pressed={selected} onClick={() => setChosen(a)}>{t('anomalies.pick')}</button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </TablePanel>
      {shown ? <AnomalyChart anomaly={shown} /> : null}
      <TablePanel id="usage-over-limit" title={t('overLimit.title')} actions={<UsageExport start={exportOf('overLimit')} testId="usage-export-over-limit" />}>
        {data.overLimit.length === 0 ? (
          <EmptyState title={t('overLimit.none')} />
        ) : (
          <table className="table">
            <thead>
              <tr><th scope="col">{t('col.tenant')}</th><th scope="col">{t('col.limit')}</th><th scope="col" className="num">{t('col.used')}</th><th scope="col" className="num">{t('col.allowed')}</th><th scope="col">{t('col.date')}</th></tr>
            </thead>
            <tbody>
              {data.overLimit.map((o) => (
                <tr key={`${o.tenantId}|${o.limit}`} data-testid="usage-over-limit-row">
                  <th scope="row"><a className="link" href={hrefOf(['usage', 'tenant', o.tenantId])}>{o.name}</a></th>
                  <td>{t(`limit.${o.limit}`)}</td>
                  <td className="num usage-over">{formatQuantity(o.used, locale)}</td>
                  <td className="num">{formatQuantity(o.allowed, locale)}</td>
                  <td>{formatDay(o.date, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </TablePanel>
    </>
  )
}

const DAY_MS = 86_400_000
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/** The tenant's days of that type around the anomaly: the 28 days it was scored against and a week after. */
function AnomalyChart({ anomaly }: { anomaly: Anomaly }) {
  const t = useT(usageCatalog)
  const { data } = useRpcQuery('usage.tenantDays', { tenantId: anomaly.tenantId, period: { from: shift(anomaly.date, -28), to: shift(anomaly.date, 7) } })
  if (!data) return <LoadingState />
  const points = data.days.filter((d) => d.usageType === anomaly.usageType).map((d) => ({ bucket: d.date, usageType: d.usageType, quantity: d.quantity }))
  return <QuantityChart points={points} title={t('anomalies.chart', { tenant: anomaly.name })} testId="usage-anomaly-chart" />
}
