import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import { CREDENTIAL_WARNING_DAYS, type CredentialsSummary, type FailedExecution, type TenantDetail, type UsageGauge, type TenantLimits } from '../../../shared/rpc/areas/tenants'
import type { Database } from '../../db/types'
import { DOMAIN_COLUMNS, LIMIT_COLUMNS, PROFILE_COLUMNS, toDomain, toLimits, toProfile, type DomainRow, type LimitsRow, type ProfileRow } from './rows'
import { lowConfidenceThreshold } from './thresholds'
import { iso, num } from './values'

export const FAILED_EXECUTIONS_SHOWN = 10

/**
 * Usage is measured on the last complete UTC day (the directory uses the same day): agent calls
 * against the daily allowance, the busiest hour of requests (executions + agent calls) against the
 * hourly limit and, averaged over that hour, against the per-minute one; storage is the latest snapshot.
 */
async function usageGauges(client: PoolClient, tenantId: string, limits: TenantLimits | null): Promise<UsageGauge[]> {
  const { rows } = await client.query<{ agent_calls: string; busiest_hour: string; storage_mb: string | null }>(
    `with day as (select ((now() at time zone 'UTC')::date - 1) as d)
     select (select coalesce(sum(u.total_quantity), 0) from app.daily_usage((select d from day), (select d from day)) u where u.usage_type = 'ai_calls') as agent_calls,
            (select coalesce(max(h.q), 0) from (
               select sum(r.quantity) as q from usage_records r, day
                where r.tenant_id = $1 and r.usage_type in ('executions', 'ai_calls')
                  and r.recorded_at >= (day.d::timestamp at time zone 'UTC') and r.recorded_at < ((day.d + 1)::timestamp at time zone 'UTC')
                group by r.period_start) h) as busiest_hour,
            (select r.quantity from usage_records r where r.tenant_id = $1 and r.usage_type = 'storage' order by r.recorded_at desc limit 1) as storage_mb`,
    [tenantId]
  )
  const row = rows[0]!
  const busiestHour = num(row.busiest_hour)
  return [
    { limit: 'agentUsageLimit', used: num(row.agent_calls), allowed: limits?.agentUsageLimit ?? null, basis: 'agentCallsLastDay' },
    { limit: 'requestsPerMinute', used: Math.ceil(busiestHour / 60), allowed: limits?.requestsPerMinute ?? null, basis: 'busiestMinuteLastDay' },
    { limit: 'requestsPerHour', used: busiestHour, allowed: limits?.requestsPerHour ?? null, basis: 'busiestHourLastDay' },
    { limit: 'storageLimitMb', used: num(row.storage_mb) ?? 0, allowed: limits?.storageLimitMb ?? null, basis: 'latestStorageSnapshot' }
  ]
}

async function credentialsSummary(client: PoolClient, tenantId: string): Promise<CredentialsSummary> {
  // Only non-secret columns are named: the *_encrypted ones are not readable by any operator.
  const { rows } = await client.query<{ total: string; active: string; expiring: string; expired: string; next_expiry: Date | null }>(
    `select count(id) as total,
            count(id) filter (where active) as active,
            count(id) filter (where active and expires_at > now() and expires_at <= now() + make_interval(days => $2)) as expiring,
            count(id) filter (where active and expires_at <= now()) as expired,
            min(expires_at) filter (where active and expires_at > now()) as next_expiry
       from tenant_credentials where tenant_id = $1`,
    [tenantId, CREDENTIAL_WARNING_DAYS]
  )
  const row = rows[0]!
  return { total: num(row.total), active: num(row.active), expiringSoon: num(row.expiring), expired: num(row.expired), nextExpiry: iso(row.next_expiry) }
}

async function failedExecutions(client: PoolClient, tenantId: string): Promise<FailedExecution[]> {
  const { rows } = await client.query<{ id: string; workflow_name: string | null; status: string; error_message: string | null; started_at: Date; finished_at: Date | null }>(
    `select id, workflow_name, status, error_message, started_at, finished_at from executions
      where tenant_id = $1 and status in ('error', 'crashed') order by started_at desc, id limit $2`,
    [tenantId, FAILED_EXECUTIONS_SHOWN]
  )
  return rows.map((r) => ({ id: r.id, workflowName: r.workflow_name, status: r.status, errorMessage: r.error_message, startedAt: iso(r.started_at), finishedAt: iso(r.finished_at) }))
}

export async function tenantDetail(db: Database, tenantId: string): Promise<TenantDetail> {
  return db.withTenant(tenantId, async (client) => {
    // Who last changed the profile, as the audit trail and the timeline tell it: the row's own stamp
    // names whoever loaded it (the demo data: "postgres"), the audit the operator who changed it.
    const profile = await client.query<ProfileRow>(
      `select p.id, p.slug, p.name, p.contact_email, p.website_url, p.business_industry, p.plan_type, p.status, p.status_reason, p.status_changed_at, p.created_at,
              coalesce(a.created_at, p.updated_at) as updated_at, coalesce(a.actor, p.updated_by) as updated_by
         from (select ${PROFILE_COLUMNS} from tenants where id = $1) p
         left join lateral (
           select created_at, actor from audit_logs
            where tenant_id = p.id and resource_type = 'tenants' and resource_id = p.id
            order by created_at desc, seq desc limit 1
         ) a on true`,
      [tenantId]
    )
    if (!profile.rows[0]) throw new RpcError('NOT_FOUND', 'No such tenant, or it is not assigned to you.')
    const limitsRow = await client.query<LimitsRow>(`select ${LIMIT_COLUMNS} from tenant_limits where tenant_id = $1 and active`, [tenantId])
    const limits = limitsRow.rows[0] ? toLimits(limitsRow.rows[0]) : null
    const domains = await client.query<DomainRow>(`select ${DOMAIN_COLUMNS} from tenant_domains where tenant_id = $1 order by domain`, [tenantId])
    const access = await client.query<{ access: 'all' | 'assigned' | 'break_glass'; expires_at: Date | null }>(
      'select access, expires_at from app.visible_tenants() where tenant_id = $1 order by expires_at desc nulls first limit 1',
      [tenantId]
    )
    return {
      profile: toProfile(profile.rows[0]),
      limits,
      domains: domains.rows.map(toDomain),
      usage: await usageGauges(client, tenantId, limits),
      credentials: await credentialsSummary(client, tenantId),
      failedExecutions: await failedExecutions(client, tenantId),
      access: { kind: access.rows[0]?.access ?? 'assigned', expiresAt: iso(access.rows[0]?.expires_at ?? null) },
      lowConfidenceBelow: await lowConfidenceThreshold(client, tenantId)
    }
  })
}
