import type { CredentialKind, CredentialRow, CredentialState, CredentialVersion, DueStatus, VersionState } from '../../../shared/rpc/areas/credentials'

/* The one mapper per DTO: database rows (Date, snake_case) to what the RPC speaks (ISO strings). */

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString())

export interface CredentialDbRow {
  id: string
  tenant_id: string
  tenant_slug: string
  tenant_name: string
  label: string | null
  client_id: string
  kind: CredentialKind
  state: CredentialState
  due: DueStatus
  version: number | null
  activated_at: Date | null
  created_at: Date
  rotated_at: Date | null
  expires_at: Date | null
  last_used_at: Date | null
  grace_ends_at: Date | null
  retiring_last_used_at: Date | null
  roll_requested_at: Date | null
  roll_requested_by: string | null
  revoked_at: Date | null
}

/** The columns of app.credential_list, in CredentialDbRow's names. */
export const CREDENTIAL_COLUMNS = `l.id, l.tenant_id, l.tenant_slug, l.tenant_name, l.label, l.client_id, l.kind, l.state, l.due, l.version, l.activated_at,
  l.created_at, l.rotated_at, l.expires_at, l.last_used_at, l.grace_ends_at, l.retiring_last_used_at, l.roll_requested_at, l.roll_requested_by, l.revoked_at`

export function toCredential(row: CredentialDbRow): CredentialRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenantSlug: row.tenant_slug,
    tenantName: row.tenant_name,
    label: row.label,
    clientId: row.client_id,
    kind: row.kind,
    state: row.state,
    due: row.due,
    version: row.version,
    activatedAt: iso(row.activated_at),
    createdAt: iso(row.created_at)!,
    lastRotatedAt: iso(row.rotated_at),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    graceEndsAt: iso(row.grace_ends_at),
    retiringLastUsedAt: iso(row.retiring_last_used_at),
    rollRequestedAt: iso(row.roll_requested_at),
    rollRequestedBy: row.roll_requested_by,
    revokedAt: iso(row.revoked_at)
  }
}

export interface VersionDbRow {
  id: string
  version: number
  state: VersionState
  valid: boolean
  secret_prefix: string | null
  fingerprint: string | null
  jwt_kid: string | null
  sealed_to_key: string | null
  created_at: Date
  activated_at: Date | null
  expires_at: Date | null
  retiring_at: Date | null
  grace_ends_at: Date | null
  revoked_at: Date | null
  revoked_by: string | null
  revoke_reason: string | null
  last_used_at: Date | null
  created_by: string
}

/**
 * The version columns, state computed at read (credential_versions_now). Named one by one: the
 * verifier and the sealed secret never leave the database through the console.
 */
export const VERSION_COLUMNS = `v.id, v.version, v.state, v.valid, v.secret_prefix, v.fingerprint, v.jwt_kid, v.sealed_to_key, v.created_at, v.activated_at,
  v.expires_at, v.retiring_at, v.grace_ends_at, v.revoked_at, v.revoked_by, v.revoke_reason, v.last_used_at, v.created_by`

export function toVersion(row: VersionDbRow): CredentialVersion {
  return {
    id: row.id,
    version: row.version,
    state: row.state,
    valid: row.valid,
    secretPrefix: row.secret_prefix,
    fingerprint: row.fingerprint,
    jwtKid: row.jwt_kid,
    sealedToKey: row.sealed_to_key,
    createdAt: iso(row.created_at)!,
    activatedAt: iso(row.activated_at),
    expiresAt: iso(row.expires_at),
    retiringAt: iso(row.retiring_at),
    graceEndsAt: iso(row.grace_ends_at),
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
    lastUsedAt: iso(row.last_used_at),
    createdBy: row.created_by
  }
}
