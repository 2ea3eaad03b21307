import { useState } from 'react'
import type { Invoice } from '../../../../shared/rpc/areas/usage'
import { PageHeader } from '../../components/PageHeader'
import { SelectField } from '../../components/Field'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { usageCatalog } from './messages'
import { formatMoney, formatQuantity, Freshness, QuantityChart, TablePanel, UsageExport } from './parts'
import { formatDay } from '../../i18n/format'

const CYCLES_SHOWN = 13

/** One tenant's billing cycle: usage against limits, the invoice preview, its projection and the cycle before. */
export function TenantView({ tenantId }: { tenantId: string }) {
  const t = useT(usageCatalog)
  const locale = useLocale()
  const [cyclesBack, setCyclesBack] = useState(0)
  const input = { tenantId, cyclesBack }
  const { data, error, loading, reload } = useRpcQuery('usage.tenant', input)
  const exportOf = (table: 'tenantDays' | 'invoice') => (jobId: string) => rpc.call('usage.export', { table, input: { ...input, source: data?.source ?? 'auto' }, jobId })
  return (
    <>
      <p><a className="link" href={hrefOf(['usage'])}>← {t('tenant.back')}</a></p>
      {!data ? (
        loading ? <LoadingState /> : <ErrorState error={error} onRetry={reload} />
      ) : (
        <>
          <PageHeader title={data.tenant.name} description={[data.tenant.plan, data.subscription?.planId, data.subscription?.status].filter(Boolean).join(' · ')} />
          <Freshness answer={data} />
          <div className="usage-toolbar">
            <SelectField
              label={t('tenant.cycle')}
              value={String(cyclesBack)}
              onChange={(e) => setCyclesBack(Number(e.target.value))}
              options={Array.from({ length: CYCLES_SHOWN }, (_, n) => ({ value: String(n), label: n === 0 ? t('tenant.cycleCurrent') : t('tenant.cycleBack', { count: n }) }))}
              data-testid="usage-cycle"
            />
            <p className="usage-muted" data-testid="usage-cycle-shown">
              {t('tenant.cycleShown', { start: formatDay(data.cycle.start, locale), end: formatDay(data.cycle.end, locale), elapsed: data.cycle.elapsedDays, days: data.cycle.days })}
            </p>
          </div>
          {data.subscription ? null : <p className="callout">{t('tenant.noSubscription')}</p>}
          <div className="usage-grid-2">
            <TablePanel id="usage-invoice" title={t('invoice.title')} actions={<UsageExport start={exportOf('invoice')} testId="usage-export-invoice" />}>
              <InvoiceTable invoice={data.invoice} testId="usage-invoice-table" />
              {data.invoice && data.projectedTotal ? (
                <p className="usage-muted" data-testid="usage-projection">{t('invoice.projected')}: <strong>{formatMoney(data.projectedTotal, data.invoice.currency, locale)}</strong></p>
              ) : null}
              {data.previousInvoice ? (
                <p className="usage-muted" data-testid="usage-previous-invoice">{t('invoice.previous')}: <strong>{formatMoney(data.previousInvoice.total, data.previousInvoice.currency, locale)}</strong></p>
              ) : null}
            </TablePanel>
            <section className="panel panel--padded" aria-labelledby="usage-limits-title">
              <h2 id="usage-limits-title" className="panel__title">{t('tenant.limits')}</h2>
              {data.limits ? (
                <ul className="facts">
                  {data.limits.agentUsageLimit !== null ? <li>{t('tenant.agentLimit', { allowed: formatQuantity(data.limits.agentUsageLimit, locale) })}</li> : null}
                  {data.limits.storageLimitMb !== null ? <li>{t('tenant.storageLimit', { allowed: formatQuantity(data.limits.storageLimitMb, locale) })}</li> : null}
                  <li className={data.daysOver.length ? 'usage-over' : 'usage-ok'} data-testid="usage-days-over">
                    {data.daysOver.length ? t('tenant.daysOver', { days: data.daysOver.map((d) => formatDay(d, locale)).join(', ') }) : t('tenant.noDaysOver')}
                  </li>
                </ul>
              ) : (
                <p>{t('tenant.noLimits')}</p>
              )}
            </section>
          </div>
          <QuantityChart points={data.days.map((d) => ({ bucket: d.date, usageType: d.usageType, quantity: d.quantity }))} title={t('tenant.days')} testId="usage-tenant-chart" />
          <TablePanel id="usage-tenant-days" title={t('tenant.days')} actions={<UsageExport start={exportOf('tenantDays')} testId="usage-export-days" />}>
            {data.days.length === 0 ? (
              <EmptyState title={t('totals.none')} />
            ) : (
              <table className="table">
                <thead>
                  <tr><th scope="col">{t('col.date')}</th><th scope="col">{t('col.type')}</th><th scope="col">{t('col.currency')}</th><th scope="col" className="num">{t('col.quantity')}</th><th scope="col" className="num">{t('col.amount')}</th></tr>
                </thead>
                <tbody>
                  {data.days.map((d) => {
                    const over = d.usageType === 'ai_calls' && data.daysOver.includes(d.date)
                    return (
                      <tr key={`${d.date}|${d.usageType}|${d.currency}`} className={over ? 'usage-over' : undefined}>
                        <th scope="row">{formatDay(d.date, locale)}</th>
                        <td>{t(`type.${d.usageType}`)}{over ? ` (${t('tenant.over')})` : ''}</td>
                        <td>{d.currency}</td>
                        <td className="num">{formatQuantity(d.quantity, locale)}</td>
                        <td className="num">{formatMoney(d.amount, d.currency, locale)}</td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            )}
          </TablePanel>
        </>
      )}
    </>
  )
}

function InvoiceTable({ invoice, testId }: { invoice: Invoice | null; testId: string }) {
  const t = useT(usageCatalog)
  const locale = useLocale()
  if (!invoice) return <EmptyState title={t('invoice.none')} />
  return (
    <table className="table" data-testid={testId} data-total={invoice.total} data-currency={invoice.currency}>
      <thead>
        <tr><th scope="col">{t('col.line')}</th><th scope="col" className="num">{t('col.quantity')}</th><th scope="col" className="num">{t('col.unitPrice')}</th><th scope="col" className="num">{t('col.amount')}</th></tr>
      </thead>
      <tbody>
        {invoice.lines.map((line) => (
          <tr key={`${line.line}|${line.usageType ?? ''}`}>
            <th scope="row">{line.line === 'plan_fee' ? t('invoice.planFee') : t('invoice.metered', { type: t(`type.${line.usageType!}`) })}</th>
            <td className="num">{formatQuantity(Number(line.quantity), locale)}</td>
            <td className="num">{formatMoney(line.unitPrice, invoice.currency, locale)}</td>
            <td className="num">{formatMoney(line.amount, invoice.currency, locale)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr><th scope="row" colSpan={3}>{t('invoice.total')}</th><td className="num" data-testid="usage-invoice-total"><strong>{formatMoney(invoice.total, invoice.currency, locale)}</strong></td></tr>
      </tfoot>
    </table>
  )
}
