import { useRef, useState } from 'react'
import { toMicros } from '../../../../shared/decimal'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { usageCatalog } from './messages'
import { formatMoney, formatQuantity, Freshness, TablePanel, UsageExport } from './parts'
import { PeriodPicker } from './PeriodPicker'
import { presetPeriod, resolvePeriod, type PeriodChoice } from './period'

/** The rollup next to the raw records (every difference must be zero), and usage no subscription covers. */
export function ReconciliationView() {
  const t = useT(usageCatalog)
  const locale = useLocale()
  const [choice, setChoice] = useState<PeriodChoice>({ preset: 'last30', custom: presetPeriod('last30') })
  const { period, error: periodError } = resolvePeriod(choice)
  const shown = useRef(period ?? presetPeriod('last30'))
  if (period) shown.current = period
  const input = { period: shown.current }
  const { data, error, loading, reload } = useRpcQuery('usage.reconciliation', input)
  const exportOf = (table: 'reconciliation' | 'unbilled') => (jobId: string) => rpc.call('usage.export', { table, input: { ...input, source: data?.source ?? 'auto' }, jobId })
  const mismatched = data?.rows.filter((r) => r.quantityDifference !== 0 || toMicros(r.amountDifference) !== 0n).length ?? 0
  return (
    <>
      <div className="usage-toolbar">
        <PeriodPicker value={choice} onChange={setChoice} error={periodError} />
      </div>
      {!data ? (
        loading ? <LoadingState /> : <ErrorState error={error} onRetry={reload} />
      ) : (
        <>
          <Freshness answer={data} pending={data.pendingChanges} />
          <p className={mismatched ? 'callout usage-over' : 'usage-ok'} data-testid="usage-recon-summary">{mismatched ? t('recon.mismatch', { count: mismatched }) : t('recon.allZero')}</p>
          <TablePanel id="usage-recon" title={t('recon.title')} actions={<UsageExport start={exportOf('reconciliation')} testId="usage-export-recon" />}>
            {data.rows.length === 0 ? (
              <EmptyState title={t('recon.none')} />
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('col.tenant')}</th><th scope="col">{t('col.type')}</th><th scope="col">{t('col.currency')}</th>
                    <th scope="col" className="num">{t('col.rollup')}</th><th scope="col" className="num">{t('col.raw')}</th><th scope="col" className="num">{t('col.difference')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={`${r.tenantId}|${r.usageType}|${r.currency}`}>
                      <th scope="row">{r.name}</th>
                      <td>{t(`type.${r.usageType}`)}</td>
                      <td>{r.currency}</td>
                      <td className="num">{formatQuantity(r.rollupQuantity, locale)} · {formatMoney(r.rollupAmount, r.currency, locale)}</td>
                      <td className="num">{formatQuantity(r.rawQuantity, locale)} · {formatMoney(r.rawAmount, r.currency, locale)}</td>
                      <td className="num">{formatQuantity(r.quantityDifference, locale)} · {formatMoney(r.amountDifference, r.currency, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </TablePanel>
          <TablePanel id="usage-unbilled" title={t('unbilled.title')} actions={<UsageExport start={exportOf('unbilled')} testId="usage-export-unbilled" />}>
            {data.unbilled.length === 0 ? (
              <EmptyState title={t('unbilled.none')} />
            ) : (
              <table className="table">
                <thead>
                  <tr><th scope="col">{t('col.recordedAt')}</th><th scope="col">{t('col.tenant')}</th><th scope="col">{t('col.type')}</th><th scope="col" className="num">{t('col.quantity')}</th><th scope="col">{t('col.problem')}</th></tr>
                </thead>
                <tbody>
                  {data.unbilled.map((u) => (
                    <tr key={u.id} data-testid="usage-unbilled-row">
                      <th scope="row">{formatDateTime(u.recordedAt, locale)}</th>
                      <td>{u.name}</td>
                      <td>{t(`type.${u.usageType}`)}</td>
                      <td className="num">{formatQuantity(u.quantity, locale)}</td>
                      <td>{t(`problem.${u.problem}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </TablePanel>
        </>
      )}
    </>
  )
}
