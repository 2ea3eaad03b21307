import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import { RpcError } from '../../../shared/rpc/errors'
import type { InboxProvider } from '../../inbox/provider'
import { iso, num } from './values'

/** A break-glass grant ending within this many minutes is in the inbox: time to finish or ask again. */
export const BREAK_GLASS_NOTICE_MINUTES = 30
/** …and critical within this many. */
const BREAK_GLASS_URGENT_MINUTES = 5

/**
 * Tenants whose agent calls on the last complete UTC day went over their daily allowance: the
 * directory's own figures (app.tenant_directory), so the inbox and the directory never disagree.
 */
export const tenantsOverLimit: InboxProvider = {
  id: 'tenants.overLimit',
  area: 'tenants',
  capability: 'tenants.directory',
  needsDatabase: true,
  async collect(backend, now) {
    if (!backend.db) throw new RpcError('OFFLINE', 'The database cannot be reached.')
    const { rows } = await backend.db.withPlatform((client) =>
      client.query<{ id: string; name: string; agent_usage: string; agent_usage_limit: number }>(
        `select d.id::text as id, d.name, d.agent_usage, d.agent_usage_limit
           from app.tenant_directory(null, null, null, null) d
          where d.agent_usage_limit is not null and d.agent_usage > d.agent_usage_limit
          order by d.agent_usage::numeric / nullif(d.agent_usage_limit, 0) desc nulls first, d.id`
      )
    )
    return rows.map((row): InboxItem => {
      const used = num(row.agent_usage)
      return {
        id: `overLimit:${row.id}`,
        area: 'tenants',
        kind: 'overLimit',
        // Twice the allowance is no longer a busy day.
        severity: row.agent_usage_limit === 0 || used >= 2 * row.agent_usage_limit ? 'critical' : 'warning',
        href: ['tenants', row.id, 'limits'],
        tenant: { id: row.id, name: row.name },
        values: { used, allowed: row.agent_usage_limit },
        at: now.toISOString()
      }
    })
  }
}

/** The operator's own break-glass grants that end soon (the policy own_grants shows each operator only theirs). */
export const breakGlassEnding: InboxProvider = {
  id: 'tenants.breakGlassEnding',
  area: 'tenants',
  capability: 'tenants.requestAccess',
  needsDatabase: true,
  async collect(backend, now) {
    if (!backend.db) throw new RpcError('OFFLINE', 'The database cannot be reached.')
    const { rows } = await backend.db.withPlatform((client) =>
      client.query<{ tenant_id: string; name: string; expires_at: Date }>(
        `select g.tenant_id::text as tenant_id, t.name, max(g.expires_at) as expires_at
           from break_glass_grants g join tenants t on t.id = g.tenant_id
          where g.operator = session_user and g.expires_at > now()
          group by g.tenant_id, t.name
         having max(g.expires_at) <= now() + make_interval(mins => $1)`,
        [BREAK_GLASS_NOTICE_MINUTES]
      )
    )
    return rows.map((row): InboxItem => ({
      id: `breakGlassEnding:${row.tenant_id}`,
      area: 'tenants',
      kind: 'breakGlassEnding',
      severity: row.expires_at.getTime() - now.getTime() <= BREAK_GLASS_URGENT_MINUTES * 60_000 ? 'critical' : 'warning',
      href: ['tenants', row.tenant_id],
      tenant: { id: row.tenant_id, name: row.name },
      values: { expiresAt: iso(row.expires_at) },
      at: iso(row.expires_at)
    }))
  }
}
