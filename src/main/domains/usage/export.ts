import type { ProgressEvent } from '../../../shared/events'
import type { z } from 'zod'
import type { UsageExportTable, usageExportInputSchema } from '../../../shared/rpc/areas/usage'
import type { ExportStarted } from '../../../shared/rpc/exports'
import type { Backend } from '../../backend-types'
import { exportTimestamp } from '../../exports/names'
import { anomalies, overview, reconciliation, tenantUsage } from './compute'
import { readUsage } from './read'

type UsageExport = z.output<typeof usageExportInputSchema>
type Table = { header: readonly string[]; rows: unknown[][] }

/**
 * Every table of the usage screens as CSV, through the one export path, from the same answer the
 * screen shows (same source, same computation). Amounts are written as the decimal strings they
 * are, each beside its currency. The answer is read before the call returns, so a refused input or
 * an unreachable source is the call's typed error.
 */
export async function exportUsageCsv(
  backend: Backend,
  request: UsageExport,
  emit: (event: ProgressEvent) => void
): Promise<ExportStarted> {
  const table = await readTable(backend, request)
  return backend.exports.start(
    {
      jobId: request.jobId,
      label: 'Exporting usage',
      doneLabel: 'Usage exported',
      entries: [
        {
          name: `usage-${request.table}-${exportTimestamp()}.csv`,
          header: table.header,
          total: table.rows.length,
          async *pages() {
            for (let i = 0; i < table.rows.length; i += 1000) yield table.rows.slice(i, i + 1000)
          }
        }
      ]
    },
    emit
  )
}

async function readTable(backend: Backend, request: UsageExport): Promise<Table> {
  const table: UsageExportTable = request.table
  switch (request.table) {
    case 'totals':
    case 'trend':
    case 'topTenants': {
      const input = request.input
      const o = await readUsage(backend, input.source, (store) => overview(store, input))
      if (table === 'totals') return { header: ['usage_type', 'currency', 'quantity', 'amount'], rows: o.totals.map((t) => [t.usageType, t.currency, t.quantity, t.amount]) }
      if (table === 'trend') return { header: ['bucket', 'usage_type', 'quantity'], rows: o.trend.map((t) => [t.bucket, t.usageType, t.quantity]) }
      return {
        header: ['tenant_id', 'tenant', 'plan', 'currency', 'quantity', 'amount', 'share_percent', 'previous_amount', 'change_percent'],
        rows: o.topTenants.map((t) => [t.tenantId, t.name, t.plan, t.currency, t.quantity, t.amount, percent(t.shareBp), t.previousAmount, percent(t.changeBp)])
      }
    }
    case 'tenantDays':
    case 'invoice': {
      const input = request.input
      const u = await readUsage(backend, input.source, (store) => tenantUsage(store, input))
      if (table === 'tenantDays') {
        const over = new Set(u.daysOver)
        return { header: ['date', 'usage_type', 'currency', 'quantity', 'amount', 'over_agent_limit'], rows: u.days.map((d) => [d.date, d.usageType, d.currency, d.quantity, d.amount, over.has(d.date) && d.usageType === 'ai_calls']) }
      }
      const lines = u.invoice?.lines ?? []
      return {
        header: ['line', 'usage_type', 'currency', 'quantity', 'unit_price', 'amount'],
        rows: [...lines.map((l) => [l.line, l.usageType, u.invoice!.currency, l.quantity, l.unitPrice, l.amount]), ...(u.invoice ? [['total', null, u.invoice.currency, null, null, u.invoice.total]] : [])]
      }
    }
    case 'anomalies':
    case 'overLimit': {
      const input = request.input
      const a = await readUsage(backend, input.source, (store) => anomalies(store, input))
      if (table === 'anomalies') {
        return { header: ['date', 'tenant_id', 'tenant', 'usage_type', 'quantity', 'median', 'score'], rows: a.anomalies.map((x) => [x.date, x.tenantId, x.name, x.usageType, x.quantity, x.median, x.score]) }
      }
      return { header: ['date', 'tenant_id', 'tenant', 'limit', 'used', 'allowed'], rows: a.overLimit.map((x) => [x.date, x.tenantId, x.name, x.limit, x.used, x.allowed]) }
    }
    case 'reconciliation':
    case 'unbilled': {
      const input = request.input
      const r = await readUsage(backend, input.source, (store) => reconciliation(store, input))
      if (table === 'reconciliation') {
        return {
          header: ['tenant_id', 'tenant', 'usage_type', 'currency', 'rollup_quantity', 'raw_quantity', 'quantity_difference', 'rollup_amount', 'raw_amount', 'amount_difference'],
          rows: r.rows.map((x) => [x.tenantId, x.name, x.usageType, x.currency, x.rollupQuantity, x.rawQuantity, x.quantityDifference, x.rollupAmount, x.rawAmount, x.amountDifference])
        }
      }
      return { header: ['recorded_at', 'id', 'tenant_id', 'tenant', 'usage_type', 'currency', 'quantity', 'problem'], rows: r.unbilled.map((x) => [x.recordedAt, x.id, x.tenantId, x.name, x.usageType, x.currency, x.quantity, x.problem]) }
    }
  }
}

/** Basis points as a percentage with two decimals, exactly (integer arithmetic on the string). */
function percent(bp: number | null): string | null {
  if (bp === null) return null
  const sign = bp < 0 ? '-' : ''
  const abs = Math.abs(bp)
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
