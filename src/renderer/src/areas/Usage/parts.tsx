import type { ReactNode } from 'react'
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts'
import type { ExportStarted } from '../../../../shared/rpc/exports'
import type { UsageSourced, UsageType } from '../../../../shared/rpc/areas/usage'
import { USAGE_TYPES } from '../../../../shared/rpc/areas/usage'
import { ExportButton } from '../../components/ExportButton'
import { SourceBadge } from '../../components/review/ReviewToolbar'
import type { Locale } from '../../i18n/define'
import { formatDateTime, formatDay, formatMoney, formatNumber as formatQuantity, formatPercent } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { usageCatalog } from './messages'

// Money stays the exact decimal string it arrived as (see i18n/format.ts).
export { formatMoney }

// Quantities and days as every screen writes them.
export { formatDay, formatQuantity }

/** Basis points as a percentage (a ratio, not money). */
export const formatBasisPoints = (bp: number, locale: Locale, signed = false) =>
  formatPercent(bp / 10_000, locale, { maximumFractionDigits: 1, signDisplay: signed ? 'exceptZero' : 'auto' })

/** Where the figures came from and up to when the rollup behind them is complete: every screen shows both. */
export function Freshness({ answer, pending }: { answer: UsageSourced; pending?: number | null }) {
  const t = useT(usageCatalog)
  const locale = useLocale()
  return (
    <div className="usage-freshness" data-testid="usage-freshness">
      <SourceBadge source={answer.source} syncedAt={answer.syncedAt} />
      {answer.source === 'cache' ? (
        <span className="badge badge--accent" data-testid="usage-offline">
          {answer.syncedAt ? t('fresh.offline', { time: formatDateTime(answer.syncedAt, locale) }) : t('fresh.offlineNever')}
        </span>
      ) : null}
      <span className="usage-muted" data-testid="usage-complete-up-to">
        {answer.completeUpTo ? t('fresh.completeUpTo', { time: formatDateTime(answer.completeUpTo, locale) }) : t('fresh.never')}
      </span>
      {pending ? <span className="usage-muted">{t('fresh.pending', { count: pending })}</span> : null}
    </div>
  )
}

export function UsageExport({ start, testId }: { start(jobId: string): Promise<ExportStarted>; testId: string }) {
  const t = useT(usageCatalog)
  return <ExportButton start={start} label={t('export.button')} runningLabel={t('export.running')} doneMessage={({ rows, fileName }) => t('export.done', { rows, file: fileName })} testId={testId} />
}

/** A titled table panel with its export; the table is the data itself, so screen readers get it all. */
export function TablePanel({ id, title, actions, children }: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel usage-panel" aria-labelledby={id} data-testid={id}>
      <header className="panel__header usage-panel__header">
        <h2 id={id} className="panel__title">{title}</h2>
        {actions}
      </header>
      {/* Focusable, so a table wider than its panel can be scrolled from the keyboard. */}
      <div className="table-wrap" tabIndex={0} role="group" aria-labelledby={id}>
        {children}
      </div>
    </section>
  )
}

const SERIES_CLASS: Record<UsageType, string> = { executions: 'usage-series--a', ai_calls: 'usage-series--b', storage: 'usage-series--c' }

/**
 * Quantities per type over time as bars, drawn for sighted users; the same points follow as a
 * table (inside a disclosure), which is what keyboard and screen-reader users read.
 */
export function QuantityChart({ points, title, testId }: { points: { bucket: string; usageType: UsageType; quantity: number }[]; title: string; testId: string }) {
  const t = useT(usageCatalog)
  const locale = useLocale()
  const buckets = [...new Set(points.map((p) => p.bucket))].sort()
  const types = USAGE_TYPES.filter((type) => points.some((p) => p.usageType === type))
  const data = buckets.map((bucket) => ({
    bucket,
    ...Object.fromEntries(types.map((type) => [type, points.filter((p) => p.bucket === bucket && p.usageType === type).reduce((sum, p) => sum + p.quantity, 0)]))
  }))
  return (
    <figure className="usage-chart" data-testid={testId}>
      <figcaption className="usage-chart__title">{title}</figcaption>
      <div aria-hidden="true">
        <BarChart accessibilityLayer={false} width={760} height={240} data={data}>
          <CartesianGrid strokeDasharray="3 3" className="usage-grid" />
          <XAxis dataKey="bucket" tickFormatter={(d: string) => formatDay(d, locale)} className="usage-axis" />
          <YAxis tickFormatter={(v: number) => formatQuantity(v, locale)} className="usage-axis" width={72} />
          <Tooltip labelFormatter={(d) => formatDay(String(d), locale)} formatter={(v) => formatQuantity(Number(v), locale)} />
          {types.map((type) => (
            <Bar key={type} dataKey={type} stackId="usage" className={SERIES_CLASS[type]} isAnimationActive={false} />
          ))}
        </BarChart>
      </div>
      <ul className="usage-legend">
        {types.map((type) => (
          <li key={type}><span className={`usage-swatch ${SERIES_CLASS[type]}`} aria-hidden="true" />{t(`type.${type}`)}</li>
        ))}
      </ul>
      <details className="usage-chart__table">
        <summary>{t('trend.table')}</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('col.bucket')}</th>
              {types.map((type) => <th key={type} scope="col">{t(`type.${type}`)}</th>)}
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.bucket}>
                <th scope="row">{formatDay(row.bucket, locale)}</th>
                {types.map((type) => <td key={type} className="num">{formatQuantity((row as Record<string, number | string>)[type] as number, locale)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
