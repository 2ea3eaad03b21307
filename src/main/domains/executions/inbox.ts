import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import { RpcError } from '../../../shared/rpc/errors'
import type { InboxProvider } from '../../inbox/provider'

export const RECENT_HOURS = 24
export const BASELINE_DAYS = 7

export interface FailureFigures {
  recentTotal: number
  recentFailed: number
  baselineTotal: number
  baselineFailed: number
}

/**
 * "Failing more than usual": enough failures to matter (a few), and a failure rate well above the
 * tenant's own rate of the week before: twice it, and at least 10 points more. A tenant whose
 * workflows always fail a little is not news; one with no history counts from a rate of 0.
 */
export function failingMoreThanUsual(f: FailureFigures): boolean {
  if (f.recentFailed < 3 || f.recentTotal === 0) return false
  const recentRate = f.recentFailed / f.recentTotal
  const baselineRate = f.baselineTotal === 0 ? 0 : f.baselineFailed / f.baselineTotal
  return recentRate >= 2 * baselineRate && recentRate - baselineRate >= 0.1
}

export const executionsFailing: InboxProvider = {
  id: 'executions.failing',
  area: 'executions',
  capability: 'area.executions',
  needsDatabase: true,
  async collect(backend, now) {
    if (!backend.db) throw new RpcError('OFFLINE', 'The database cannot be reached.')
    const { rows } = await backend.db.withPlatform((client) =>
      client.query<{ tenant_id: string; name: string; recent_total: string; recent_failed: string; baseline_total: string; baseline_failed: string }>(
        `select r.tenant_id::text as tenant_id, t.name, r.recent_total, r.recent_failed, r.baseline_total, r.baseline_failed
           from app.execution_failure_rates($1, $2) r join tenants t on t.id = r.tenant_id
          order by r.tenant_id`,
        [RECENT_HOURS, BASELINE_DAYS]
      )
    )
    return rows.flatMap((row): InboxItem[] => {
      const figures = { recentTotal: Number(row.recent_total), recentFailed: Number(row.recent_failed), baselineTotal: Number(row.baseline_total), baselineFailed: Number(row.baseline_failed) }
      if (!failingMoreThanUsual(figures)) return []
      const rate = figures.recentFailed / figures.recentTotal
      const usual = figures.baselineTotal === 0 ? 0 : figures.baselineFailed / figures.baselineTotal
      return [
        {
          id: `failing:${row.tenant_id}`,
          area: 'executions',
          kind: 'failing',
          // Half of everything failing is an outage, not a trend.
          severity: rate >= 0.5 ? 'critical' : 'warning',
          href: ['executions', 'failing', row.tenant_id],
          tenant: { id: row.tenant_id, name: row.name },
          values: { failed: figures.recentFailed, total: figures.recentTotal, rate, usual, hours: RECENT_HOURS },
          at: now.toISOString()
        }
      ]
    })
  }
}
