import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import { RpcError } from '../../../shared/rpc/errors'
import type { InboxProvider } from '../../inbox/provider'
import { isoMillis } from '../../reads/sql'

/** An open data-subject request due within this many days is in the inbox (a week to finish it). */
export const REQUEST_NOTICE_DAYS = 7

export interface RequestsDue {
  tenantId: string
  tenantName: string
  overdue: number
  dueSoon: number
  /** The soonest due date among them (ISO). */
  nextDueAt: string
}

/** One item per tenant with open requests overdue or due soon; overdue is urgent (the regulation's deadline has passed). */
export function requestsDueItem(r: RequestsDue): InboxItem | null {
  if (r.overdue === 0 && r.dueSoon === 0) return null
  return {
    id: `requestsDue:${r.tenantId}`,
    area: 'consent',
    kind: r.overdue > 0 ? 'requestsOverdue' : 'requestsDue',
    severity: r.overdue > 0 ? 'critical' : 'warning',
    href: ['consent', 'requests', r.tenantId],
    tenant: { id: r.tenantId, name: r.tenantName },
    values: { overdue: r.overdue, dueSoon: r.dueSoon, nextDueAt: r.nextDueAt, days: REQUEST_NOTICE_DAYS },
    at: r.nextDueAt
  }
}

/**
 * Requests are isolated per tenant; app.subject_requests_due (migrations/021) counts them across
 * the caller's visible tenants, for support and admin only, by the open-requests due-date index.
 */
export const subjectRequestsDue: InboxProvider = {
  id: 'consent.requestsDue',
  area: 'consent',
  capability: 'consent.handleRequests',
  needsDatabase: true,
  async collect(backend) {
    if (!backend.db) throw new RpcError('OFFLINE', 'The database cannot be reached.')
    const { rows } = await backend.db.withPlatform((client) =>
      client.query<{ tenant_id: string; name: string; overdue: string; due_soon: string; next_due_at: string }>(
        `select r.tenant_id::text as tenant_id, t.name, r.overdue, r.due_soon, ${isoMillis('r.next_due_at')} as next_due_at
           from app.subject_requests_due($1) r join tenants t on t.id = r.tenant_id
          order by r.next_due_at, r.tenant_id`,
        [REQUEST_NOTICE_DAYS]
      )
    )
    return rows.flatMap((row) => {
      const item = requestsDueItem({ tenantId: row.tenant_id, tenantName: row.name, overdue: Number(row.overdue), dueSoon: Number(row.due_soon), nextDueAt: row.next_due_at })
      return item ? [item] : []
    })
  }
}
