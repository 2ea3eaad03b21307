import { RpcError } from '../../../shared/rpc/errors'
import type { TenantDomain, TenantLimits, TenantProfile, TenantStatus } from '../../../shared/rpc/areas/tenants'
import type { Database } from '../../db/types'
import { requireVisibleTenant } from './access'
import { DOMAIN_COLUMNS, LIMIT_COLUMNS, PROFILE_COLUMNS, toDomain, toLimits, toProfile, type DomainRow, type LimitsRow, type ProfileRow } from './rows'

/*
 * Every change runs in withTenant's transaction as the operator's own role: RLS limits it to the
 * visible tenant, the column grants decide who may change what, and the audit trigger records it
 * with the session user as actor.
 */

export interface ProfileChange {
  name: string
  contactEmail: string | null
  websiteUrl: string | null
  businessIndustry: string | null
}

export async function updateProfile(db: Database, tenantId: string, profile: ProfileChange): Promise<TenantProfile> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const { rows } = await client.query<ProfileRow>(
      `update tenants set name = $2, contact_email = $3, website_url = $4, business_industry = $5 where id = $1 returning ${PROFILE_COLUMNS}`,
      [tenantId, profile.name, profile.contactEmail, profile.websiteUrl, profile.businessIndustry]
    )
    return toProfile(rows[0]!)
  })
}

export async function setStatus(db: Database, tenantId: string, status: TenantStatus, reason: string): Promise<TenantProfile> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const { rows } = await client.query<ProfileRow>(
      `update tenants set status = $2, status_reason = $3, status_changed_at = now() where id = $1 and status <> $2 returning ${PROFILE_COLUMNS}`,
      [tenantId, status, reason]
    )
    if (!rows[0]) throw new RpcError('INVALID', `The tenant is already ${status}.`, { issues: [{ path: 'status', message: 'unchanged' }] })
    return toProfile(rows[0])
  })
}

export async function updateLimits(db: Database, tenantId: string, limits: TenantLimits): Promise<{ before: TenantLimits | null; after: TenantLimits }> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    // FOR UPDATE needs the UPDATE privilege, so a role that may not change limits is refused here already.
    const current = await client.query<LimitsRow & { id: string }>(`select id, ${LIMIT_COLUMNS} from tenant_limits where tenant_id = $1 and active for update`, [tenantId])
    const values = [limits.agentUsageLimit, limits.requestsPerMinute, limits.requestsPerHour, limits.storageLimitMb]
    const existing = current.rows[0]
    const { rows } = existing
      ? await client.query<LimitsRow>(
          `update tenant_limits set agent_usage_limit = $2, requests_per_minute = $3, requests_per_hour = $4, storage_limit_mb = $5 where id = $1 returning ${LIMIT_COLUMNS}`,
          [existing.id, ...values]
        )
      : await client.query<LimitsRow>(
          `insert into tenant_limits (tenant_id, agent_usage_limit, requests_per_minute, requests_per_hour, storage_limit_mb) values ($1, $2, $3, $4, $5) returning ${LIMIT_COLUMNS}`,
          [tenantId, ...values]
        )
    return { before: existing ? toLimits(existing) : null, after: toLimits(rows[0]!) }
  })
}

export async function addDomain(db: Database, tenantId: string, domain: string): Promise<TenantDomain> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    try {
      const { rows } = await client.query<DomainRow>(`insert into tenant_domains (tenant_id, domain) values ($1, $2) returning ${DOMAIN_COLUMNS}`, [tenantId, domain])
      return toDomain(rows[0]!)
    } catch (error) {
      // Domains are unique platform-wide (one tenant proves ownership of one host name).
      if ((error as { code?: string }).code === '23505') {
        throw new RpcError('CONFLICT', 'That domain is already registered.', { issues: [{ path: 'domain', message: 'already registered' }] })
      }
      throw error
    }
  })
}

export async function removeDomain(db: Database, tenantId: string, domainId: string): Promise<{ id: string }> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const { rows } = await client.query<{ id: string }>('delete from tenant_domains where tenant_id = $1 and id = $2 returning id', [tenantId, domainId])
    if (!rows[0]) throw new RpcError('NOT_FOUND', 'That domain is not one of this tenant’s.')
    return { id: rows[0].id }
  })
}
