import type { PoolClient } from 'pg'
import {
  CREDENTIAL_DUE_DAYS,
  type CredentialCounts,
  type CredentialDetail,
  type CredentialPage,
  type CredentialPolicy,
  type CredentialQuery,
  type CredentialRow,
  type CredentialVersion
} from '../../../shared/rpc/areas/credentials'
import { RpcError } from '../../../shared/rpc/errors'
import type { ProgressEvent } from '../../../shared/events'
import type { ExportStarted } from '../../../shared/rpc/exports'
import type { Database } from '../../db/types'
import type { ExportJobs } from '../../exports/jobs'
import { jwks } from '../../secrets/custody'
import { CREDENTIAL_COLUMNS, VERSION_COLUMNS, toCredential, toVersion, type CredentialDbRow, type VersionDbRow } from './rows'

/* Reads across the visible tenants go through app.credential_list (one query, keyset by expiry). */

interface Cursor {
  key: string
  id: string
}

const decodeCursor = (cursor: string | null): Cursor | null => {
  if (!cursor) return null
  const [key, id] = cursor.split('|') as [string, string]
  return { key, id }
}

async function selectPage(client: PoolClient, filter: CredentialQuery, after: Cursor | null, limit: number): Promise<(CredentialDbRow & { sort_key: Date | string })[]> {
  const { rows } = await client.query<CredentialDbRow & { sort_key: Date | string }>(
    `select ${CREDENTIAL_COLUMNS}, l.sort_key from app.credential_list($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::uuid, $9) l`,
    [filter.search || null, filter.kind, filter.state, filter.due, filter.tenantId, CREDENTIAL_DUE_DAYS, after?.key ?? null, after?.id ?? null, limit]
  )
  return rows
}

/** pg reads 'infinity' as the string 'infinity' (and a real time as a Date). */
const sortKey = (value: Date | string): string => (value instanceof Date ? value.toISOString() : 'infinity')

export async function listCredentials(db: Database, filter: CredentialQuery, after: string | null, limit: number): Promise<CredentialPage> {
  const rows = await db.withPlatform((client) => selectPage(client, filter, decodeCursor(after), limit))
  const last = rows[rows.length - 1]
  return { rows: rows.map(toCredential), nextCursor: rows.length === limit && last ? `${sortKey(last.sort_key)}|${last.id}` : null }
}

export async function credentialCounts(db: Database): Promise<CredentialCounts> {
  const { rows } = await db.withPlatform((client) => client.query<CredentialCounts>('select * from app.credential_counts($1)', [CREDENTIAL_DUE_DAYS]))
  return rows[0]!
}

/** One credential as the list shows it, inside the tenant's transaction. */
export async function credentialRow(client: PoolClient, tenantId: string, credentialId: string): Promise<CredentialRow> {
  const { rows } = await client.query<CredentialDbRow>(
    `select ${CREDENTIAL_COLUMNS} from app.credential_list(null, null, null, null, $1, $2, null, null, 1000000) l where l.id = $3`,
    [tenantId, CREDENTIAL_DUE_DAYS, credentialId]
  )
  if (!rows[0]) throw new RpcError('NOT_FOUND', 'No such credential, or its tenant is not assigned to you.')
  return toCredential(rows[0])
}

export async function versionRow(client: PoolClient, versionId: string): Promise<CredentialVersion> {
  const { rows } = await client.query<VersionDbRow>(`select ${VERSION_COLUMNS} from credential_versions_now v where v.id = $1`, [versionId])
  if (!rows[0]) throw new RpcError('NOT_FOUND', 'No such credential version.')
  return toVersion(rows[0])
}

export async function credentialDetail(db: Database, tenantId: string, credentialId: string): Promise<CredentialDetail> {
  return db.withTenant(tenantId, async (client) => {
    const credential = await credentialRow(client, tenantId, credentialId)
    const versions = await client.query<VersionDbRow>(
      `select ${VERSION_COLUMNS} from credential_versions_now v where v.credential_id = $1 order by v.version desc`,
      [credentialId]
    )
    const notes = await client.query<{ roll_request_note: string | null; revoke_reason: string | null }>(
      'select roll_request_note, revoke_reason from tenant_credentials where id = $1',
      [credentialId]
    )
    return { credential, versions: versions.rows.map(toVersion), rollRequestNote: notes.rows[0]?.roll_request_note ?? null, revokeReason: notes.rows[0]?.revoke_reason ?? null }
  })
}

/** The valid versions' public keys, newest first: during a grace period both the new and the old key verify. */
export async function credentialJwks(db: Database, tenantId: string, credentialId: string): Promise<{ keys: Record<string, unknown>[] }> {
  const { rows } = await db.withTenant(tenantId, (client) =>
    client.query<{ public_jwk: Record<string, unknown> }>(
      'select v.public_jwk from credential_versions_now v where v.credential_id = $1 and v.valid and v.public_jwk is not null order by v.version desc',
      [credentialId]
    )
  )
  return jwks(rows.map((r) => r.public_jwk))
}

export async function listPolicies(db: Database): Promise<{ policies: CredentialPolicy[] }> {
  const { rows } = await db.withPlatform((client) =>
    client.query<{ kind: CredentialPolicy['kind']; max_age_days: number; updated_at: Date; updated_by: string }>(
      'select kind, max_age_days, updated_at, updated_by from credential_policies order by kind'
    )
  )
  return { policies: rows.map((r) => ({ kind: r.kind, maxAgeDays: r.max_age_days, updatedAt: r.updated_at.toISOString(), updatedBy: r.updated_by })) }
}

export async function setPolicy(db: Database, kind: CredentialPolicy['kind'], maxAgeDays: number): Promise<CredentialPolicy> {
  const { rows } = await db.withPlatform((client) =>
    client.query<{ kind: CredentialPolicy['kind']; max_age_days: number; updated_at: Date; updated_by: string }>(
      'update credential_policies set max_age_days = $2 where kind = $1 returning kind, max_age_days, updated_at, updated_by',
      [kind, maxAgeDays]
    )
  )
  const row = rows[0]
  if (!row) throw new RpcError('NOT_FOUND', 'No policy for that kind of credential.')
  return { kind: row.kind, maxAgeDays: row.max_age_days, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by }
}

const CSV_HEADER = ['tenant', 'label', 'client_id', 'kind', 'state', 'due', 'version', 'activated_at', 'expires_at', 'last_rotated_at', 'last_used_at',
  'grace_ends_at', 'retiring_last_used_at', 'roll_requested_at', 'roll_requested_by', 'revoked_at']
const EXPORT_PAGE = 2000

/** The filtered list as CSV through the one export path. It holds no secret: the database has none to give. */
export async function exportCredentialsCsv(db: Database, exports: ExportJobs, input: { filter: CredentialQuery; jobId: string }, emit: (event: ProgressEvent) => void, today = new Date()): Promise<ExportStarted> {
  return exports.start(
    {
      jobId: input.jobId,
      label: 'Exporting credentials',
      doneLabel: 'Credentials exported',
      entries: [
        {
          name: `credentials-${today.toISOString().slice(0, 10)}.csv`,
          header: CSV_HEADER,
          // Filtered: the count is known only once written.
          total: null,
          async *pages() {
            let after: Cursor | null = null
            for (;;) {
              const rows = await db.withPlatform((client) => selectPage(client, input.filter, after, EXPORT_PAGE))
              yield rows.map(toCredential).map((r) => [r.tenantSlug, r.label, r.clientId, r.kind, r.state, r.due, r.version, r.activatedAt, r.expiresAt,
                r.lastRotatedAt, r.lastUsedAt, r.graceEndsAt, r.retiringLastUsedAt, r.rollRequestedAt, r.rollRequestedBy, r.revokedAt])
              const last = rows[rows.length - 1]
              if (rows.length < EXPORT_PAGE || !last) return
              after = { key: sortKey(last.sort_key), id: last.id }
            }
          }
        }
      ]
    },
    emit
  )
}
