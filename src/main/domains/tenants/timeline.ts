import type { TimelineEntry, TimelineKind, TimelinePage } from '../../../shared/rpc/areas/tenants'
import type { Database } from '../../db/types'
import { requireVisibleTenant } from './access'
import { iso, num } from './values'

interface TimelineRow {
  kind: TimelineKind
  source: string
  at: Date
  actor: string | null
  event: string
  subject: string | null
  detail: string | null
  old_values: Record<string, unknown> | null
  new_values: Record<string, unknown> | null
  used: string | null
  allowed: string | null
  /** The time with microseconds (a JS Date keeps milliseconds only, too coarse for a cursor). */
  position: string
}

interface Branch {
  kind: TimelineKind
  /** Unique within the kind; with the kind it is the entry's key and the cursor's tie-breaker. */
  source: string
  at: string
  /** actor, event, subject, detail, old_values, new_values, used, allowed */
  columns: string
  from: string
  where: string
}

/*
 * Breaches compare usage with the tenant's current limits: daily agent calls (app.daily_usage,
 * the only way to the daily summary) and storage snapshots.
 */
const BRANCHES: Branch[] = [
  {
    kind: 'audit', source: 'a.id::text', at: 'a.created_at',
    columns: 'a.actor::text, a.action::text, a.resource_type::text, null::text, a.old_values, a.new_values, null::bigint, null::bigint',
    from: 'audit_logs a', where: 'a.tenant_id = $1'
  },
  {
    kind: 'execution', source: 'e.id::text', at: 'e.started_at',
    columns: 'e.created_by::text, e.status::text, e.workflow_name::text, e.error_message, null, null, null, null',
    from: 'executions e', where: `e.tenant_id = $1 and e.status in ('error', 'crashed')`
  },
  {
    kind: 'consent', source: 'c.id::text', at: 'coalesce(c.revoked_at, c.granted_at, c.created_at)',
    columns: `c.created_by::text, case when c.granted then 'granted' else 'revoked' end, c.consent_type::text, c.user_id::text, null, null, null, null`,
    from: 'user_consent c', where: 'c.tenant_id = $1'
  },
  {
    kind: 'credential', source: `k.id::text || ':' || ev.event`, at: 'ev.at',
    columns: `case when ev.event = 'issued' then k.created_by::text end, ev.event, k.label::text, k.client_id::text, null, null, null, null`,
    from: `tenant_credentials k cross join lateral (values ('issued', k.created_at), ('rotated', k.rotated_at),
           ('expired', case when k.expires_at <= now() then k.expires_at end)) ev(event, at)`,
    where: 'k.tenant_id = $1 and ev.at is not null'
  },
  {
    kind: 'breach', source: `'agent:' || u.usage_date::text`, at: 'u.last_record',
    columns: `null::text, 'agentCalls', 'agentUsageLimit', u.usage_date::text, null, null, u.total_quantity, lim.agent_usage_limit`,
    // The rollup has a row per currency; the allowance counts calls, whatever they were billed in.
    from: `(select d.usage_date, sum(d.total_quantity)::bigint as total_quantity, max(d.last_record) as last_record
              from app.daily_usage(null, null) d where d.usage_type = 'ai_calls' group by d.usage_date) u cross join lim`,
    where: 'u.total_quantity > lim.agent_usage_limit'
  },
  {
    kind: 'breach', source: `'storage:' || r.id::text`, at: 'r.recorded_at',
    columns: `null::text, 'storage', 'storageLimitMb', null, null, null, r.quantity, lim.storage_limit_mb`,
    from: 'usage_records r cross join lim', where: `r.tenant_id = $1 and r.usage_type = 'storage' and r.quantity > lim.storage_limit_mb`
  }
]

/*
 * One query: each branch is ordered and cut to the page on its own (audit_logs, executions and
 * usage_records have indexes led by tenant_id and time), then merged and cut again. `$4` switches
 * a branch off as a one-time filter. The cursor is (time, key) with keys compared in "C" collation,
 * so entries sharing a timestamp are neither repeated nor skipped across pages.
 */
function branchSql(b: Branch): string {
  const key = `('${b.kind}:' || ${b.source}) collate "C"`
  return `(select '${b.kind}'::text as kind, ${b.source} as source, ${b.at} as at, ${b.columns}
     from ${b.from}
    where '${b.kind}' = any ($4::text[]) and ${b.where}
      and ${b.at} <= $2 and (${b.at} < $2 or ${key} > $5)
    order by ${b.at} desc, ${key} limit $3)`
}

const TIMELINE_SQL = `
with lim as (select agent_usage_limit, storage_limit_mb from tenant_limits where tenant_id = $1 and active)
select m.kind, m.source, m.at, m.actor, m.event, m.subject, m.detail, m.old_values, m.new_values, m.used, m.allowed,
       to_char(m.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position
  from (${BRANCHES.map(branchSql).join('\n  union all\n  ')}) m(kind, source, at, actor, event, subject, detail, old_values, new_values, used, allowed)
 order by m.at desc, (m.kind || ':' || m.source) collate "C"
 limit $3`

/** Row stamps change on every update; they would drown the fields that really changed. */
const NOISE_FIELDS = new Set(['updated_at', 'updated_by', 'sync_xid', 'created_at', 'created_by', 'id', 'tenant_id'])

export function changedFields(oldValues: Record<string, unknown> | null, newValues: Record<string, unknown> | null): TimelineEntry['changes'] {
  const fields = new Set([...Object.keys(oldValues ?? {}), ...Object.keys(newValues ?? {})])
  const changes: TimelineEntry['changes'] = []
  for (const field of [...fields].sort()) {
    if (NOISE_FIELDS.has(field)) continue
    const before = oldValues ? (oldValues[field] ?? null) : null
    const after = newValues ? (newValues[field] ?? null) : null
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ field, before, after })
  }
  return changes
}

function toEntry(row: TimelineRow): TimelineEntry {
  return {
    key: `${row.kind}:${row.source}`,
    kind: row.kind,
    at: iso(row.at),
    actor: row.actor,
    event: row.event,
    subject: row.subject,
    detail: row.detail,
    changes: row.kind === 'audit' ? changedFields(row.old_values, row.new_values) : [],
    measure: row.used !== null && row.allowed !== null ? { used: num(row.used), allowed: num(row.allowed) } : null
  }
}

function splitCursor(cursor: string): [string, string] {
  const bar = cursor.indexOf('|')
  return [cursor.slice(0, bar), cursor.slice(bar + 1)]
}

export async function tenantTimeline(db: Database, tenantId: string, options: { kinds: TimelineKind[]; before: string | null; limit: number }): Promise<TimelinePage> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const [at, key] = options.before ? splitCursor(options.before) : ['infinity', '']
    const { rows } = await client.query<TimelineRow>(TIMELINE_SQL, [tenantId, at, options.limit, options.kinds, key])
    const last = rows[rows.length - 1]
    return { entries: rows.map(toEntry), nextBefore: last && rows.length === options.limit ? `${last.position}|${last.kind}:${last.source}` : null }
  })
}
