import type { PoolClient } from 'pg'
import {
  GRACE_INTERVALS,
  type BulkRollResult,
  type CredentialKind,
  type CredentialRow,
  type CredentialVersion,
  type GracePeriod,
  type RollResult
} from '../../../shared/rpc/areas/credentials'
import { RpcError } from '../../../shared/rpc/errors'
import type { ProgressEvent } from '../../../shared/events'
import type { Database } from '../../db/types'
import { issueMaterial, type RuntimeKey } from '../../secrets/custody'
import { credentialRow, versionRow } from './queries'

/*
 * A roll is two steps, each its own transaction (AWS Secrets Manager's create → finish):
 *   1. app.begin_credential_roll records a pending version with the new material (verifier and
 *      sealed forms; the plaintext stays in this process);
 *   2. app.activate_credential_version makes it active and the old one retiring until the grace end.
 * A console that dies between them leaves a pending version that nobody was ever shown; the next
 * roll of that credential revokes it and starts over. A repeated step 2 changes nothing. The secret
 * leaves this process once, in the roll's reply; nothing here logs, caches or stores it.
 */

export interface RollTarget {
  tenantId: string
  credentialId: string
  seenVersion: number | null
}

/** Between the two steps: what tests use to stop a roll half-way, as a crash would. */
export interface RollHooks {
  afterBegin?(versionId: string): Promise<void> | void
}

/**
 * Step 1 in one transaction: the credential's kind and the active runtime key (one query), the new
 * material made in this process, and app.begin_credential_roll. Reading inside the step saves the
 * separate read transaction a roll used to start with; the read takes no lock, and the function
 * checks again, under its lock, everything the read told us.
 */
async function beginRoll(db: Database, target: RollTarget): Promise<{ pending: string; secret: string | null }> {
  return db.withTenant(target.tenantId, async (client) => {
    // Step 1's commit does not wait for its WAL flush; step 2's does, and the WAL is flushed in
    // order, so step 2 being durable means step 1 is too. A server crash in between loses at most
    // a pending version whose secret nobody was shown (step 2 had not returned): the same state as
    // a console dying between the steps, which the next roll completes. Half the flush waits.
    await client.query(`select set_config('synchronous_commit', 'off', true)`)
    const { rows } = await client.query<{ kind: CredentialKind; revoked_at: Date | null; key_id: string | null; public_key: string | null }>(
      `select c.kind, c.revoked_at, k.key_id, k.public_key
         from tenant_credentials c left join runtime_keys k on k.status = 'active'
        where c.id = $1`,
      [target.credentialId]
    )
    const credential = rows[0]
    if (!credential) throw new RpcError('NOT_FOUND', 'No such credential, or its tenant is not assigned to you.')
    if (credential.revoked_at) throw new RpcError('CONFLICT', 'This credential is revoked; a revoked credential is not rolled.')
    const runtimeKey: RuntimeKey | null = credential.key_id && credential.public_key ? { keyId: credential.key_id, publicKey: credential.public_key } : null
    const issued = await issueMaterial(credential.kind, target.credentialId, runtimeKey)
    const m = issued.material
    const begun = await client.query<{ id: string }>('select id from app.begin_credential_roll($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      target.credentialId, target.seenVersion, m.secretPrefix, m.secretVerifier, m.fingerprint, m.sealedSecret, m.sealedToKey, m.jwtKid,
      m.publicJwk ? JSON.stringify(m.publicJwk) : null
    ])
    return { pending: begun.rows[0]!.id, secret: issued.secret }
  })
}

export async function rollCredential(db: Database, target: RollTarget, grace: GracePeriod, hooks: RollHooks = {}): Promise<RollResult> {
  const { pending, secret } = await beginRoll(db, target)
  await hooks.afterBegin?.(pending)
  const version = await db.withTenant(target.tenantId, async (client) => {
    await client.query('select 1 from app.activate_credential_version($1, $2::interval)', [pending, GRACE_INTERVALS[grace]])
    return versionRow(client, pending)
  })
  return { credentialId: target.credentialId, version, secret }
}

/**
 * The due ones in one go, a few at a time (each its own two steps), with progress. A failure (a stale version, a revoked credential) is reported and the others go on.
 */
/**
 * Rolls in flight at once during a bulk roll. Each roll commits twice, and a commit waits for its
 * WAL flush (about 8 ms on the reference disk): concurrent commits share one flush, so the bulk
 * roll's speed grows with the lanes. Eight of the console's ten pooled connections; the other two
 * keep the screens answering while it runs.
 */
const ROLL_LANES = 8

export async function rollMany(db: Database, targets: RollTarget[], grace: GracePeriod, jobId: string, emit: (event: ProgressEvent) => void): Promise<BulkRollResult> {
  const result: BulkRollResult = { rolled: [], failed: [] }
  const total = targets.length
  const started = Date.now()
  const report = (finished: boolean) => {
    const done = result.rolled.length + result.failed.length
    const seconds = (Date.now() - started) / 1000
    const rate = seconds > 0 ? done / seconds : undefined
    emit({
      type: 'progress', jobId, kind: 'roll', label: finished ? 'Credentials rolled' : 'Rolling credentials', done, total, finished,
      ...(rate ? { rate, etaSeconds: (total - done) / rate } : {}),
      ...(finished && result.failed.length ? { error: `${result.failed.length} of ${total} could not be rolled` } : {})
    })
  }
  report(false)
  // A few rolls at once: each waits mostly on round trips, and each credential is locked by its own
  // functions, so parallel rolls of different credentials cannot interfere.
  let next = 0
  let sinceReport = 0
  const lane = async () => {
    while (next < targets.length) {
      const target = targets[next++]!
      try {
        result.rolled.push(await rollCredential(db, target, grace))
      } catch (error) {
        if (!(error instanceof RpcError) || error.code === 'OFFLINE') throw error
        result.failed.push({ credentialId: target.credentialId, message: error.message })
      }
      // About 50 events for a thousand rolls: enough for a smooth bar, not a flood.
      if (++sinceReport >= Math.max(1, Math.floor(total / 50))) {
        sinceReport = 0
        report(false)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(ROLL_LANES, total) }, lane))
  report(true)
  return result
}

export async function revokeVersion(db: Database, input: { tenantId: string; versionId: string; reason: string; confirmation: string }): Promise<CredentialVersion> {
  return db.withTenant(input.tenantId, async (client) => {
    await client.query('select 1 from app.revoke_credential_version($1, $2, $3)', [input.versionId, input.reason, input.confirmation])
    return versionRow(client, input.versionId)
  })
}

export async function revokeCredential(db: Database, input: { tenantId: string; credentialId: string; reason: string; confirmation: string }): Promise<CredentialRow> {
  return db.withTenant(input.tenantId, async (client) => {
    await client.query('select 1 from app.revoke_credential($1, $2, $3)', [input.credentialId, input.reason, input.confirmation])
    return credentialRow(client, input.tenantId, input.credentialId)
  })
}

export async function requestRoll(db: Database, input: { tenantId: string; credentialId: string; note: string }): Promise<CredentialRow> {
  return db.withTenant(input.tenantId, async (client) => {
    await client.query('select 1 from app.request_credential_roll($1, $2)', [input.credentialId, input.note])
    return credentialRow(client, input.tenantId, input.credentialId)
  })
}
