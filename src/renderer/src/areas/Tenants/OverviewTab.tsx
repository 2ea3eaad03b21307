import { PolarAngleAxis, RadialBar, RadialBarChart } from 'recharts'
import type { UsageGauge } from '../../../../shared/rpc/areas/tenants'
import { formatDateTime, formatNumber } from '../../i18n/format'
import { hrefOf } from '../../routing/hash'
import { useLocale, useT } from '../../i18n/useT'
import { tenantsCatalog } from './messages'
import type { TabProps } from './TenantDetail'

function Gauge({ gauge }: { gauge: UsageGauge }) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const ratio = gauge.allowed ? gauge.used / gauge.allowed : 0
  const level = ratio > 1 ? 'over' : ratio > 0.8 ? 'high' : 'ok'
  return (
    <figure className={`tenant-gauge tenant-gauge--${level}`}>
      <div aria-hidden="true">
        <RadialBarChart accessibilityLayer={false} width={160} height={96} cx={80} cy={88} innerRadius={56} outerRadius={80} startAngle={180} endAngle={0} data={[{ value: Math.min(ratio, 1) * 100 }]}>
          <PolarAngleAxis type="number" domain={[0, 100]} tick={false} />
          <RadialBar dataKey="value" background cornerRadius={4} className="tenant-gauge__bar" isAnimationActive={false} />
        </RadialBarChart>
      </div>
      <figcaption>
        <strong>{t(`limit.${gauge.limit}`)}</strong>
        <span className="tenant-gauge__value">
          {gauge.allowed === null
            ? t('usage.unlimited', { used: formatNumber(gauge.used, locale) })
            : t('usage.of', { used: formatNumber(gauge.used, locale), allowed: formatNumber(gauge.allowed, locale) })}
        </span>
        <span className="tenant-muted">{t(`basis.${gauge.basis}`)}</span>
      </figcaption>
    </figure>
  )
}

export function OverviewTab({ detail }: TabProps) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const { credentials, failedExecutions, profile } = detail
  return (
    <div className="tenant-overview">
      {profile.status !== 'active' && profile.statusReason ? <p className="callout">{t('detail.statusReason', { reason: profile.statusReason })}</p> : null}
      <section className="panel panel--padded" aria-labelledby="tenant-usage-title">
        <h2 id="tenant-usage-title" className="panel__title">{t('usage.title')}</h2>
        <div className="tenant-gauges">
          {detail.usage.map((gauge) => <Gauge key={gauge.limit} gauge={gauge} />)}
        </div>
      </section>
      <section className="panel panel--padded" aria-labelledby="tenant-credentials-title">
        <h2 id="tenant-credentials-title" className="panel__title">{t('credentials.title')}</h2>
        <ul className="facts">
          <li>{t('credentials.summary', { total: credentials.total, active: credentials.active })}</li>
          <li className={credentials.expiringSoon ? 'tenant-warn' : undefined}>{t('credentials.expiringSoon', { count: credentials.expiringSoon })}</li>
          <li className={credentials.expired ? 'tenant-over' : undefined}>{t('credentials.expired', { count: credentials.expired })}</li>
          <li>{credentials.nextExpiry ? t('credentials.next', { time: formatDateTime(credentials.nextExpiry, locale) }) : t('credentials.noNext')}</li>
        </ul>
      </section>
      <section className="panel panel--padded" aria-labelledby="tenant-failures-title">
        <h2 id="tenant-failures-title" className="panel__title">{t('failures.title')}</h2>
        {failedExecutions.length === 0 ? (
          <p>{t('failures.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr><th scope="col">{t('failures.when')}</th><th scope="col">{t('failures.workflow')}</th><th scope="col">{t('failures.error')}</th></tr>
              </thead>
              <tbody>
                {failedExecutions.map((e) => (
                  <tr key={e.id}>
                    <td>
                      {/* The execution's own address: it opens beside the executions list, with its error and steps. */}
                      <a className="link" href={hrefOf(['executions', 'open', profile.id, e.id])} data-testid="failed-execution-link">
                        {formatDateTime(e.startedAt, locale)}
                      </a>
                    </td>
                    <td>{e.workflowName ?? '—'}</td>
                    <td>{e.errorMessage ?? e.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
