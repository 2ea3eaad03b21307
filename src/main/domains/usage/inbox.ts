import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import { ANOMALY_THRESHOLD, type Anomaly } from '../../../shared/rpc/areas/usage'
import { RpcError } from '../../../shared/rpc/errors'
import type { InboxProvider } from '../../inbox/provider'
import { addDays, anomalies, utcToday } from './compute'
import { serverStore } from './server-store'

/** The anomalies view's own default period (last 30 days), so the item and the list it opens agree. */
export const ANOMALY_INBOX_DAYS = 30
/** A day this many times past the anomaly threshold is no longer "unusual" but a runaway (or a break). */
const CRITICAL_FACTOR = 3

/**
 * Tenants with unusual days of usage in the last 30 days: the anomalies screen's own computation
 * over the rollup, as the operator's role (finance and admins: the platform; support: its own
 * tenants, as app.usage_rollup decides). One item per tenant, worded by its most unusual day.
 */
export const usageAnomalies: InboxProvider = {
  id: 'usage.anomalies',
  area: 'usage',
  capability: 'area.usage',
  needsDatabase: true,
  async collect(backend, now) {
    if (!backend.db) throw new RpcError('OFFLINE', 'The database cannot be reached.')
    const today = utcToday(now.getTime())
    const period = { from: addDays(today, -(ANOMALY_INBOX_DAYS - 1)), to: today }
    const found = await anomalies(serverStore(backend.db), { period, source: 'server' }, now.getTime())
    // Most unusual first (anomalies() sorts so), hence each tenant's first is its worst.
    const byTenant = new Map<string, Anomaly[]>()
    for (const a of found.anomalies) byTenant.set(a.tenantId, [...(byTenant.get(a.tenantId) ?? []), a])
    return [...byTenant.values()].map(([worst, ...rest]): InboxItem => ({
      id: `anomalies:${worst!.tenantId}`,
      area: 'usage',
      kind: 'anomalies',
      severity: Math.abs(worst!.score) >= CRITICAL_FACTOR * ANOMALY_THRESHOLD ? 'critical' : 'warning',
      href: ['usage', 'anomalies'],
      tenant: { id: worst!.tenantId, name: worst!.name },
      values: { days: 1 + rest.length, periodDays: ANOMALY_INBOX_DAYS, date: worst!.date, usageType: worst!.usageType, quantity: worst!.quantity, median: worst!.median },
      at: now.toISOString()
    }))
  }
}
