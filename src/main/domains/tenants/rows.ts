import { domainToUnicode } from 'node:url'
import type { TenantDomain, TenantLimits, TenantProfile, TenantStatus } from '../../../shared/rpc/areas/tenants'
import { iso } from './values'

/** Columns listed explicitly everywhere: `select *` would break on a column this role may not read. */
export const PROFILE_COLUMNS =
  'id, slug, name, contact_email, website_url, business_industry, plan_type, status, status_reason, status_changed_at, created_at, updated_at, updated_by'

export interface ProfileRow {
  id: string
  slug: string
  name: string
  contact_email: string | null
  website_url: string | null
  business_industry: string | null
  plan_type: string
  status: TenantStatus
  status_reason: string | null
  status_changed_at: Date | null
  created_at: Date
  updated_at: Date
  updated_by: string
}

export function toProfile(row: ProfileRow): TenantProfile {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    contactEmail: row.contact_email,
    websiteUrl: row.website_url,
    businessIndustry: row.business_industry,
    plan: row.plan_type,
    status: row.status,
    statusReason: row.status_reason,
    statusChangedAt: iso(row.status_changed_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    updatedBy: row.updated_by
  }
}

export const DOMAIN_COLUMNS = 'id, domain, verified, verified_at, created_at, verification_token'

export interface DomainRow {
  id: string
  domain: string
  verified: boolean
  verified_at: Date | null
  created_at: Date
  verification_token: string
}

/** The record the customer publishes in DNS to prove the domain is theirs. */
export function txtRecordFor(domain: string, token: string): TenantDomain['txtRecord'] {
  return { name: `_avia-verification.${domain}`, value: `avia-verification=${token}` }
}

export function toDomain(row: DomainRow): TenantDomain {
  return {
    id: row.id,
    domain: row.domain,
    displayDomain: domainToUnicode(row.domain) || row.domain,
    verified: row.verified,
    verifiedAt: iso(row.verified_at),
    createdAt: iso(row.created_at),
    txtRecord: txtRecordFor(row.domain, row.verification_token)
  }
}

export const LIMIT_COLUMNS = 'agent_usage_limit, requests_per_minute, requests_per_hour, storage_limit_mb'

export interface LimitsRow {
  agent_usage_limit: number
  requests_per_minute: number
  requests_per_hour: number
  storage_limit_mb: number
}

export function toLimits(row: LimitsRow): TenantLimits {
  return {
    agentUsageLimit: row.agent_usage_limit,
    requestsPerMinute: row.requests_per_minute,
    requestsPerHour: row.requests_per_hour,
    storageLimitMb: row.storage_limit_mb
  }
}
