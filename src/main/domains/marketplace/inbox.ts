import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import { RpcError } from '../../../shared/rpc/errors'
import type { InboxProvider } from '../../inbox/provider'
import { isoMillis } from '../../reads/sql'

export interface QueueOverSla {
  /** Waiting items (submitted or in review) older than the SLA target. */
  over: number
  /** The longest-waiting one's submission (ISO), null when none is over. */
  oldestSubmittedAt: string | null
  slaHours: number
}

/**
 * "The moderation queue is over its SLA": at least one waiting item has waited longer than the
 * target. One item for the queue, not one per template: the queue lists them oldest first with
 * their "Over SLA" badge. Urgent once the oldest has waited twice the target.
 */
export function queueOverSla(q: QueueOverSla, now: Date): InboxItem | null {
  if (q.over === 0 || q.oldestSubmittedAt === null) return null
  const slaMs = q.slaHours * 3_600_000
  const waitedMs = now.getTime() - Date.parse(q.oldestSubmittedAt)
  return {
    id: 'overSla:queue',
    area: 'marketplace',
    kind: 'overSla',
    severity: waitedMs >= 2 * slaMs ? 'critical' : 'warning',
    href: ['marketplace'],
    tenant: null,
    values: { count: q.over, slaHours: q.slaHours, oldestSubmittedAt: q.oldestSubmittedAt },
    // When the oldest went over: the moment the queue broke its target.
    at: new Date(Date.parse(q.oldestSubmittedAt) + slaMs).toISOString()
  }
}

/**
 * Read as the operator: templates are the moderators' (all) and the all-tenant admins' (RLS of
 * migrations/012); finance has no grant on them. Only the waiting items past the target are read,
 * through migration 017's partial index templates_waiting_idx (submitted_at, id).
 */
export const moderationOverSla: InboxProvider = {
  id: 'marketplace.overSla',
  area: 'marketplace',
  capability: 'area.marketplace',
  needsDatabase: true,
  async collect(backend, now) {
    if (!backend.db) throw new RpcError('OFFLINE', 'The database cannot be reached.')
    const { rows } = await backend.db.withPlatform((client) =>
      client.query<{ over: number; oldest: string | null; sla_hours: number }>(
        `select count(t.id)::integer as over, ${isoMillis('min(t.submitted_at)')} as oldest,
                (select extract(epoch from s.review_sla)::integer / 3600 from public.moderation_settings s) as sla_hours
           from public.templates t
          where t.status in ('submitted', 'in_review')
            and t.submitted_at <= statement_timestamp() - (select s.review_sla from public.moderation_settings s)`
      )
    )
    const row = rows[0]!
    const item = queueOverSla({ over: row.over, oldestSubmittedAt: row.oldest, slaHours: row.sla_hours }, now)
    return item ? [item] : []
  }
}
