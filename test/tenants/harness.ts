import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Backend } from '../../src/main/backend-types'
import type { OperatorGroup } from '../../src/main/db/operators'
import { createExportJobs } from '../../src/main/exports/jobs'
import type { Database } from '../../src/main/db/types'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import type { ServerEvent } from '../../src/shared/events'
import type { RpcErrorShape } from '../../src/shared/rpc/errors'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { makeOperator, makeTenants, withAdmin, type TenantSeed } from '../helpers/db'

/**
 * Calls procedures the way both shells do — through the dispatcher, so every input meets its zod
 * schema first — with the backend's database logged in as a real operator role.
 */
export interface OperatorSession {
  name: string
  call(name: string, input: unknown): Promise<{ ok: true; value: any } | { ok: false; error: RpcErrorShape }>
  /** The value, or throws with the error code (for setup steps that must succeed). */
  value(name: string, input: unknown): Promise<any>
  /** Unexpected handler failures the dispatcher reported (must stay empty). */
  internalErrors: string[]
  /** The session's export jobs (in a throwaway folder) and the events they sent. */
  exports: Backend['exports']
  events: ServerEvent[]
  close(): Promise<void>
}

/** The status a live connection reports: the handlers' capability gate reads its groups. */
function onlineStatus(name: string, groups: readonly string[]): ConnectionStatus {
  return { state: 'online', profileId: 'test', profileName: 'test', demo: false, lastSyncAt: null, operator: name, groups: [...groups] }
}

function sessionFor(name: string, db: Database, status: ConnectionStatus): OperatorSession {
  const internalErrors: string[] = []
  const events: ServerEvent[] = []
  // Created by the first export only: a session that exports nothing leaves nothing behind.
  const exportDir = path.join(tmpdir(), `avc-tenants-${randomUUID()}`)
  const exports = createExportJobs(exportDir)
  // A console that has never synced: its offline cache has no file to read yet (tenants.cached says so).
  const offlineCache = { reader: () => null } as Pick<Backend['offlineCache'], 'reader'> as Backend['offlineCache']
  const backend = { db, exports, offlineCache, status: () => status } as Pick<Backend, 'db' | 'exports' | 'offlineCache' | 'status'> as Backend
  const dispatch = createDispatcher(handlers, () => ({ backend, emit: (event) => events.push(event) }), { logInternal: (procedure, detail) => internalErrors.push(`${procedure}: ${detail}`) })
  const call = dispatch as OperatorSession['call']
  return {
    name,
    call,
    async value(procedure, input) {
      const result = await call(procedure, input)
      if (!result.ok) throw new Error(`${procedure} failed: ${result.error.code} ${result.error.message}`)
      return result.value
    },
    internalErrors,
    exports,
    events,
    async close() {
      rmSync(exportDir, { recursive: true, force: true })
      await db.close()
    }
  }
}

/**
 * `claimedGroups` (default: the real ones) is what the connection status reports, i.e. what the
 * console's capability gate believes: a test of the database's own refusal claims more than the role has.
 */
export async function operatorSession(
  groups: OperatorGroup[],
  tenants: (string | null)[],
  options: { claimedGroups?: OperatorGroup[] } = {}
): Promise<OperatorSession> {
  const operator = await makeOperator(groups, tenants)
  return sessionFor(operator.name, operator.database({ maxConnections: 3 }), onlineStatus(operator.name, options.claimedGroups ?? groups))
}

/** A session whose database is gone: every procedure that needs it must answer OFFLINE. */
export function offlineSession(): OperatorSession {
  return sessionFor('nobody', null as unknown as Database, { ...onlineStatus('nobody', []), state: 'offline', operator: null })
}

export interface SupportTenant extends TenantSeed {
  name: string
  email: string
  domain: string
  sessionId: string
}

/**
 * Tenants with what the support screens show: a profile, two domains (one verified), limits,
 * credentials (one expiring soon, one expired), a session with a conversation (one low-confidence
 * answer), a failed execution, storage above its limit and a consent grant and revocation.
 */
export async function makeSupportTenants(count: number, label: string): Promise<SupportTenant[]> {
  const seeds = await makeTenants(count, label)
  return withAdmin(async (admin) => {
    const out: SupportTenant[] = []
    for (const [index, seed] of seeds.entries()) {
      const short = seed.id.slice(0, 8)
      const name = `${label} ${index} ${short}`
      const email = `owner-${short}@${label}.example.com`
      const domain = `${label}-${short}.example.com`
      await admin.query(`update tenants set name = $2, contact_email = $3, business_industry = $4, plan_type = $5, settings = '{"handoffToHumanBelowConfidence": 0.6}' where id = $1`, [
        seed.id, name, email, index % 2 ? 'retail' : 'health', index % 2 ? 'professional' : 'starter'
      ])
      await admin.query(`insert into tenant_domains (tenant_id, domain, verified, verified_at) values ($1, $2, true, now()), ($1, $3, false, null)`, [seed.id, domain, `chat.${domain}`])
      await admin.query(`insert into tenant_limits (tenant_id, agent_usage_limit, requests_per_minute, requests_per_hour, storage_limit_mb) values ($1, 1000, 60, 3000, 500)`, [seed.id])
      await admin.query(
        `insert into tenant_credentials (tenant_id, label, client_id, client_secret_encrypted, hmac_secret_encrypted, expires_at)
         values ($1, 'Production', $2, 'enc:v1:never-shown', 'enc:v1:never-shown-either', now() + interval '3 days'),
                ($1, 'Staging', $3, 'enc:v1:never-shown', 'enc:v1:never-shown-either', now() - interval '2 days')`,
        [seed.id, `live-${short}-${randomUUID().slice(0, 6)}`, `test-${short}-${randomUUID().slice(0, 6)}`]
      )
      const session = await admin.query<{ id: string }>(
        `insert into sessions (tenant_id, session_key, user_id, channel, device, context) values ($1, $2, 'customer-7', 'whatsapp', 'mobile', $3) returning id`,
        [seed.id, `sess-${randomUUID()}`, JSON.stringify({ userPreferences: { language: 'es', tone: 'formal' }, businessContext: { plan: 'gold', openTicket: 'T-81' }, sessionMetadata: { source: 'ad' } })]
      )
      await admin.query(
        `insert into conversations (tenant_id, session_id, user_id, message, response, agent_name, sentiment, confidence_score, created_at) values
           ($1, $2, 'customer-7', 'Where is my order 100% refund?', 'Your order ships tomorrow.', 'Ana', 'neutral', 0.92, now() - interval '2 minutes'),
           ($1, $2, 'customer-7', 'The invoice for March is wrong', 'I am not sure, maybe try again later.', 'Ana', 'negative', 0.31, now() - interval '1 minute')`,
        [seed.id, session.rows[0]!.id]
      )
      const workflow = await admin.query<{ id: string }>(`insert into workflows (tenant_id, name) values ($1, 'Lead intake') returning id`, [seed.id])
      await admin.query(
        `insert into executions (tenant_id, workflow_id, workflow_name, status, error_message, started_at, finished_at)
         values ($1, $2, 'Lead intake', 'error', 'HTTP 429 from the CRM', now() - interval '1 hour', now() - interval '59 minutes'),
                ($1, $2, 'Lead intake', 'success', null, now() - interval '30 minutes', now() - interval '29 minutes')`,
        [seed.id, workflow.rows[0]!.id]
      )
      await admin.query(
        `insert into usage_records (tenant_id, usage_type, quantity, currency, period_start, period_end, recorded_at) values
           ($1, 'storage', 800, 'EUR', now() - interval '2 hours', now() - interval '1 hour', now() - interval '2 hours'),
           ($1, 'ai_calls', 1500, 'EUR', date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '20 hours', date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '19 hours', date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '20 hours')`,
        [seed.id]
      )
      await admin.query(
        // A revocation names the grant it ends (migration 013).
        `with grant_row as (
           insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, revoked_at, created_at)
           values ($1, 'customer-7', 'marketing', true, now() - interval '3 days', null, now() - interval '3 days') returning id)
         insert into user_consent (tenant_id, user_id, consent_type, granted, granted_at, revoked_at, created_at, revokes_id)
         select $1, 'customer-7', 'marketing', false, null, now() - interval '1 day', now() - interval '1 day', id from grant_row`,
        [seed.id]
      )
      out.push({ ...seed, name, email, domain, sessionId: session.rows[0]!.id })
    }
    await admin.query('select app.fold_daily_usage()')
    return out
  })
}

/**
 * A fingerprint of everything written for these tenants: every table an operator may change is
 * audited (break-glass grants included), so an unchanged audit count means nothing was written.
 */
export async function writesFor(tenantIds: string[]): Promise<string> {
  return withAdmin(async (admin: pg.Client) => {
    const { rows } = await admin.query<{ audit: string; grants: string; domains: string }>(
      `select (select count(*) from audit_logs where tenant_id = any ($1::uuid[])) as audit,
              (select count(*) from break_glass_grants where tenant_id = any ($1::uuid[])) as grants,
              (select string_agg(domain, ',' order by domain) from tenant_domains where tenant_id = any ($1::uuid[])) as domains`,
      [tenantIds]
    )
    return JSON.stringify(rows[0])
  })
}
