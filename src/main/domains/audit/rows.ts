import type { AuditDetail, AuditRow } from '../../../shared/rpc/areas/audit'
import { isoInstant, type Instant } from '../../reads/instant'

/**
 * An audit entry as both sources read it (snake_case columns, JSON already parsed), and the one
 * mapping to what the screens and the export get.
 */
export interface AuditRecord {
  id: string
  tenant_id: string
  actor: string
  action: string
  resource_type: string
  resource_id: string | null
  created_at: Instant
}

export interface AuditValuesRecord extends AuditRecord {
  old_values: unknown
  new_values: unknown
}

export interface AuditDetailRecord extends AuditValuesRecord {
  ip_address: string | null
  user_agent: string | null
  seq: number
  chain_position: number | null
  prev_hash: string | null
  hash: string | null
}

export interface AuditRowWithValues extends AuditRow {
  oldValues: unknown
  newValues: unknown
}

export function toAuditRow(r: AuditRecord): AuditRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    actor: r.actor,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    createdAt: isoInstant(r.created_at)
  }
}

export function toAuditRowWithValues(r: AuditValuesRecord): AuditRowWithValues {
  return { ...toAuditRow(r), oldValues: r.old_values, newValues: r.new_values }
}

export function toAuditDetail(r: AuditDetailRecord): AuditDetail {
  return {
    ...toAuditRowWithValues(r),
    ipAddress: r.ip_address,
    userAgent: r.user_agent,
    seq: r.seq,
    chainPosition: r.chain_position,
    prevHash: r.prev_hash,
    hash: r.hash
  }
}
