import { randomBytes, randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { CredentialKind } from '../../src/shared/rpc/areas/credentials'
import { withAdmin } from '../helpers/db'
import type { RuntimeVerifier } from './runtime-verifier'

export interface TestCredential {
  id: string
  tenantId: string
  label: string
  clientId: string
}

/**
 * A credential with an active version 1 (as migration 017's backfill leaves existing ones), inserted
 * by the superuser: setup, not the path under test.
 */
export async function makeCredential(tenantId: string, kind: CredentialKind = 'client_secret', label = `Prod ${randomBytes(3).toString('hex')}`): Promise<TestCredential> {
  const clientId = `cli-${randomUUID()}`
  const id = await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ id: string }>(
      `insert into tenant_credentials (tenant_id, label, client_id, kind, expires_at, rotated_at) values ($1, $2, $3, $4, now() + interval '30 days', now() - interval '60 days') returning id`,
      [tenantId, label, clientId, kind]
    )
    await admin.query(
      `insert into credential_versions (tenant_id, credential_id, version, state, created_at, activated_at, expires_at, fingerprint)
       values ($1, $2, 1, 'active', now() - interval '60 days', now() - interval '60 days', now() + interval '30 days', $3)`,
      [tenantId, rows[0]!.id, randomBytes(8).toString('hex')]
    )
    return rows[0]!.id
  })
  return { id, tenantId, label, clientId }
}

/** Makes `runtime` the active runtime key (the previous one retires), as a platform admin would. */
export async function registerRuntimeKey(runtime: RuntimeVerifier): Promise<void> {
  await withAdmin((admin) => admin.query('select app.register_runtime_key($1, $2, $3)', [runtime.keyId, runtime.algorithm, runtime.publicKey]))
}

/** Some active runtime key, for suites that seal but never open. */
export async function ensureRuntimeKey(admin: pg.Client): Promise<void> {
  const { rowCount } = await admin.query("select 1 from runtime_keys where status = 'active'")
  if (rowCount) return
  await admin.query('select app.register_runtime_key($1, $2, $3)', [`test-${randomBytes(6).toString('hex')}`, 'HPKE-X25519-SHA256-A256GCM', randomBytes(32).toString('base64url')])
}

export async function versionsOf(credentialId: string) {
  return withAdmin(async (admin) =>
    (
      await admin.query<{ id: string; version: number; state: string; stored_state: string; valid: boolean; grace_ends_at: Date | null }>(
        'select id, version, state, stored_state, valid, grace_ends_at from credential_versions_now where credential_id = $1 order by version',
        [credentialId]
      )
    ).rows
  )
}
