import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/main/db/types'
import { insertTenantRows, type TenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator, makeTenants, roleName, uniqueRoleName } from '../helpers/db'

/**
 * What each group may do, stated once. The catalog must grant exactly this (nothing more), and the
 * database itself must refuse what is not here.
 */
const READ_TENANT_DATA = [
  'app_installation', 'audit_logs', 'break_glass_grants', 'conversations', 'currencies', 'embeddings', 'events', 'execution_steps', 'executions',
  'executions_archive', 'global_context', 'learnings', 'local_context', 'moderation_history', 'moderation_reasons', 'moderation_settings', 'operator_tenants',
  'price_book', 'price_book_unit_prices', 'reviews', 'sessions', 'subscriptions', 'sync_purge_horizons', 'sync_tombstones', 'template_purchases', 'template_versions',
  'templates', 'tenant_analytics_daily', 'tenant_domains', 'tenant_limits', 'tenant_revenue_daily', 'tenants', 'translations', 'usage_records', 'user_consent',
  'user_roles', 'users', 'workflows',
  // Consent and data-subject requests (issue 12): support and admin only.
  'consent_current', 'data_subjects', 'data_subject_requests', 'derivation_sources', 'erasure_receipts',
  // Credential rotation (issue 13): versions (never their verifier or sealed secret), policies, runtime public keys.
  'credential_versions_now', 'credential_policies', 'runtime_keys'
]
const VERSION_COLUMNS = 'activated_at,created_at,created_by,credential_id,expires_at,fingerprint,grace_ends_at,id,jwt_kid,last_used_at,public_jwk,' +
  'retiring_at,revoke_reason,revoked_at,revoked_by,sealed_to_key,secret_prefix,state,tenant_id,updated_at,updated_by,version'
const CREDENTIAL_COLUMNS = 'active,client_id,created_at,created_by,expires_at,id,jwt_public_key,kind,label,revoke_reason,revoked_at,revoked_by,' +
  'roll_request_note,roll_requested_at,roll_requested_by,rotated_at,tenant_id,updated_at,updated_by'
const EXPECTED: Record<string, string[]> = {
  support: [
    ...READ_TENANT_DATA.map((t) => `SELECT ${t}`),
    'INSERT tenant_domains', 'DELETE tenant_domains',
    `SELECT tenant_credentials(${CREDENTIAL_COLUMNS})`, `SELECT credential_versions(${VERSION_COLUMNS})`,
    'UPDATE tenants(business_industry,contact_email,name,website_url)',
    'UPDATE sessions(expires_at)'
  ],
  admin: [
    ...READ_TENANT_DATA.map((t) => `SELECT ${t}`),
    'INSERT tenants', 'UPDATE tenants', 'INSERT operator_tenants', 'DELETE operator_tenants',
    'INSERT tenant_domains', 'DELETE tenant_domains', 'UPDATE tenant_domains(verified,verified_at)',
    'INSERT tenant_limits', 'UPDATE tenant_limits',
    `SELECT tenant_credentials(${CREDENTIAL_COLUMNS})`, 'INSERT tenant_credentials', `SELECT credential_versions(${VERSION_COLUMNS})`,
    'UPDATE credential_policies(max_age_days)',
    'UPDATE tenant_credentials(active,client_secret_encrypted,expires_at,hmac_secret_encrypted,jwt_private_key_encrypted,jwt_public_key,label,rotated_at)',
    // Consent records are append-only: inserted, never updated.
    'INSERT user_consent',
    'UPDATE sessions(expires_at)',
    'INSERT translations', 'UPDATE translations', 'DELETE translations', 'INSERT price_book', 'UPDATE price_book', 'DELETE price_book',
    'INSERT price_book_unit_prices', 'UPDATE price_book_unit_prices', 'DELETE price_book_unit_prices',
    'UPDATE moderation_settings(claim_lease,review_sla)',
    'SELECT template_state_counts'
  ],
  moderator: [
    'SELECT app_installation', 'SELECT currencies', 'SELECT price_book', 'SELECT price_book_unit_prices', 'SELECT translations', 'SELECT templates', 'SELECT reviews',
    'SELECT template_purchases', 'SELECT template_versions', 'SELECT moderation_history', 'SELECT moderation_reasons', 'SELECT moderation_settings',
    'SELECT tenants(id,name,slug)', 'SELECT template_state_counts', 'SELECT users(full_name,id,tenant_id)'
    // Templates and reviews change only through the moderation functions (migrations/012).
  ],
  finance: [
    // Usage, subscriptions, the price book and tenant names and plans: no events, no purchases.
    'SELECT app_installation', 'SELECT currencies', 'SELECT price_book', 'SELECT price_book_unit_prices', 'SELECT translations',
    'SELECT subscriptions', 'SELECT usage_records', 'SELECT sync_tombstones',
    'SELECT tenants(business_industry,id,name,plan_type,slug,status)'
  ]
}

/** The functions that run as the owner and each group may call; PUBLIC may call none. */
const VISIBILITY_DEFINERS = ['can_see_tenant', 'current_visible_tenant_id', 'granted_tenant_ids', 'sees_all_tenants', 'verify_audit_chain', 'visible_tenants',
  // The sync's kept digests (migration 030): every group may ask; only an all-tenants admin gets an answer.
  'all_tenant_digests']
const USAGE_DEFINERS = ['usage_limits', 'usage_rollup', 'daily_usage', 'daily_usage_freshness', 'invoice_preview', 'usage_days_all', 'usage_tenant_totals']
const SUPPORT_DEFINERS = [...USAGE_DEFINERS, 'execution_failure_rates', 'lookup_tenant', 'request_break_glass', 'tenant_directory',
  'advance_subject_request', 'assign_subject_request', 'consent_impact', 'create_subject_request', 'extend_subject_request', 'lookup_subject', 'record_access_export',
  'credential_counts', 'credential_list', 'request_credential_roll',
  // The home inbox's counts (migration 025).
  'credentials_due', 'subject_requests_due',
  // The directory's pages and their capped count (migration 027).
  'tenant_directory_count', 'tenant_directory_page']
const CREDENTIAL_ADMIN_DEFINERS = ['activate_credential_version', 'begin_credential_roll', 'register_runtime_key', 'reseal_credential_version',
  'retire_runtime_key', 'revoke_credential', 'revoke_credential_version']
const FINANCE_DEFINERS = [...USAGE_DEFINERS, 'unbilled_usage', 'usage_reconciliation']
const MODERATION_DEFINERS = ['approve_template', 'claim_template', 'publish_template', 'reject_template', 'release_template', 'set_review_hidden', 'take_down_template']
// Issue 14: the maintenance runner's functions (platform-wide: all-tenants admins only).
const MAINTENANCE_DEFINERS = ['archivable_executions', 'archive_executions_batch', 'claim_maintenance_job', 'event_partition_coverage', 'finish_maintenance_job',
  'maintenance_jobs', 'report_maintenance_progress', 'set_maintenance_schedule', 'verify_audit_chains']
const EXPECTED_DEFINERS: Record<string, string[]> = {
  support: [...VISIBILITY_DEFINERS, ...SUPPORT_DEFINERS],
  // Platform-wide jobs check for an admin assigned to all tenants themselves.
  admin: [...VISIBILITY_DEFINERS, ...SUPPORT_DEFINERS, ...MODERATION_DEFINERS, 'archive_old_executions', 'create_event_partitions', 'fold_daily_usage',
    'unbilled_usage', 'usage_reconciliation', 'approve_erasure', 'resolve_consent_impact', ...MAINTENANCE_DEFINERS, ...CREDENTIAL_ADMIN_DEFINERS,
    // The Operators area (migration 024).
    'end_break_glass', 'operator_actions'].sort(),
  moderator: [...VISIBILITY_DEFINERS, ...MODERATION_DEFINERS].sort(),
  finance: [...VISIBILITY_DEFINERS, ...FINANCE_DEFINERS],
  public: []
}

async function executableDefiners(admin: pg.Client, group: string): Promise<string[]> {
  const { rows } = await admin.query<{ name: string }>(
    `select p.proname as name from pg_proc p
      where p.prosecdef and p.pronamespace = 'app'::regnamespace and has_function_privilege($1, p.oid, 'EXECUTE')
      order by 1`,
    [group === 'public' ? 'public' : roleName(group)]
  )
  return rows.map((r) => r.name)
}

async function actualGrants(admin: pg.Client, group: string): Promise<string[]> {
  const { rows } = await admin.query<{ grant: string }>(
    `with role as (select oid from pg_roles where rolname = $1)
     select a.privilege_type || ' ' || c.relname as grant
       from pg_class c, aclexplode(c.relacl) a, role
      where c.relnamespace = 'public'::regnamespace and a.grantee = role.oid
     union all
     select a.privilege_type || ' ' || c.relname || '(' || string_agg(att.attname, ',' order by att.attname) || ')'
       from pg_class c join pg_attribute att on att.attrelid = c.oid, aclexplode(att.attacl) a, role
      where c.relnamespace = 'public'::regnamespace and a.grantee = role.oid
      group by a.privilege_type, c.relname`,
    [roleName(group)]
  )
  return rows.map((r) => r.grant).sort()
}

let admin: pg.Client
let tenantA: string
let tenantB: string
let rowsA: TenantRows
let rowsB: TenantRows
const open: Database[] = []

async function dbFor(group: 'support' | 'moderator' | 'finance' | 'admin', tenants: (string | null)[]): Promise<Database> {
  const db = (await makeOperator([group], tenants)).database()
  open.push(db)
  return db
}

beforeAll(async () => {
  admin = await adminClient()
  const [a, b] = await makeTenants(2, 'grants')
  tenantA = a!.id
  tenantB = b!.id
  const other = uniqueRoleName('fixture')
  await admin.query(`create role ${other} login`)
  rowsA = await insertTenantRows(admin, tenantA, other)
  rowsB = await insertTenantRows(admin, tenantB, other)
})

afterAll(async () => {
  await Promise.all(open.map((db) => db.close()))
  await admin?.end()
})

describe('group grants in the catalog', () => {
  it.each(Object.keys(EXPECTED))('%s has exactly its grants', async (group) => {
    expect(await actualGrants(admin, group)).toEqual([...EXPECTED[group]!].sort())
  })

  it.each(Object.keys(EXPECTED_DEFINERS))('%s may execute exactly its definer functions', async (group) => {
    expect(await executableDefiners(admin, group)).toEqual([...EXPECTED_DEFINERS[group]!].sort())
  })

  it('grants the owner role to nobody and operator groups to no group', async () => {
    const { rows } = await admin.query<{ member: string; granted: string }>(
      `select pg_get_userbyid(member) as member, pg_get_userbyid(roleid) as granted from pg_auth_members
        where pg_get_userbyid(roleid) = any($1) and pg_get_userbyid(member) = any($1)`,
      [['owner', 'support', 'moderator', 'finance', 'admin'].map(roleName)]
    )
    expect(rows).toEqual([])
  })
})

describe('the database refuses what a group may not do', () => {
  it('support: edits the profile and domains, cannot change limits, status or read secrets', async () => {
    const db = await dbFor('support', [tenantA])
    await expect(db.withTenant(tenantA, (c) => c.query('update tenant_limits set agent_usage_limit = 5'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withTenant(tenantA, (c) => c.query(`update tenants set status = 'suspended', status_reason = 'x'`))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withTenant(tenantA, (c) => c.query('select client_secret_encrypted from tenant_credentials'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withTenant(tenantA, (c) => c.query(`update templates set status = 'published'`))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const renamed = await db.withTenant(tenantA, (c) => c.query(`update tenants set name = 'Acme Ibérica'`))
    expect(renamed.rowCount).toBe(1)
    const domain = await db.withTenant(tenantA, (c) => c.query(`insert into tenant_domains (tenant_id, domain) values ($1, 'shop.acme-iberica.es') returning verified`, [tenantA]))
    expect(domain.rows).toEqual([{ verified: false }])
    const limit = await admin.query('select agent_usage_limit from tenant_limits where id = $1', [rowsA.tenant_limits])
    expect(limit.rows[0].agent_usage_limit).toBe(1000)
  })

  it('admin: changes limits and status of an assigned tenant only', async () => {
    const db = await dbFor('admin', [tenantA])
    const updated = await db.withTenant(tenantA, (c) => c.query('update tenant_limits set agent_usage_limit = 2500'))
    expect(updated.rowCount).toBe(1)
    const suspended = await db.withTenant(tenantA, (c) => c.query(`update tenants set status = 'suspended', status_reason = 'Unpaid invoice 2024-11'`))
    expect(suspended.rowCount).toBe(1)
    const other = await db.withTenant(tenantB, (c) => c.query('update tenant_limits set agent_usage_limit = 1'))
    expect(other.rowCount).toBe(0)
    await expect(db.withTenant(tenantA, (c) => c.query(`update tenant_limits set agent_usage_limit = -1`))).rejects.toMatchObject({ code: 'INVALID' })
  })

  it('moderator: works templates and reviews of every tenant, nothing else', async () => {
    const db = await dbFor('moderator', [])
    const queue = await db.withPlatform((c) => c.query<{ id: string }>(`select id from templates where status = 'submitted' and id = any($1)`, [[rowsA.templates, rowsB.templates]]))
    expect(queue.rowCount).toBe(2)
    await expect(db.withPlatform((c) => c.query(`update templates set reviewer = 'someone_else' where id = $1`, [rowsB.templates]))).rejects.toMatchObject({
      code: 'FORBIDDEN'
    })
    const claimed = await db.withPlatform((c) => c.query<{ claimed_by: string; version: number }>(`select claimed_by, version from app.claim_template($1, 2)`, [rowsB.templates]))
    expect(claimed.rows[0]!.claimed_by).toMatch(new RegExp(`^${roleName('moderator')}_`))
    expect(claimed.rows[0]!.version).toBe(3)
    const hidden = await db.withPlatform((c) => c.query(`select app.set_review_hidden($1, 1, true, 'spam', 'spam')`, [rowsA.reviews]))
    expect(hidden.rowCount).toBe(1)
    await expect(db.withPlatform((c) => c.query(`update templates set price = 10 where id = $1`, [rowsA.templates]))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withPlatform((c) => c.query('select * from executions'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withPlatform((c) => c.query('select contact_email from tenants'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('finance: reads usage platform-wide (narrowed by a tenant context), changes nothing', async () => {
    const db = await dbFor('finance', [])
    const all = await db.withPlatform((c) => c.query('select distinct tenant_id from usage_records where tenant_id = any($1)', [[tenantA, tenantB]]))
    expect(all.rowCount).toBe(2)
    const one = await db.withTenant(tenantA, (c) => c.query('select distinct tenant_id from usage_records where tenant_id = any($1)', [[tenantA, tenantB]]))
    expect(one.rows).toEqual([{ tenant_id: tenantA }])
    await admin.query('select app.fold_daily_usage()')
    const daily = await db.withPlatform((c) => c.query('select distinct tenant_id from app.daily_usage(null, null) where tenant_id = any($1)', [[tenantA, tenantB]]))
    expect(daily.rowCount).toBe(2)
    await expect(db.withPlatform((c) => c.query('select * from daily_usage_summary'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withPlatform((c) => c.query('update usage_records set quantity = 0'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(db.withPlatform((c) => c.query('select * from executions'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('support: daily usage only of visible tenants', async () => {
    const db = await dbFor('support', [tenantA])
    await admin.query('select app.fold_daily_usage()')
    const daily = await db.withPlatform((c) => c.query('select distinct tenant_id from app.daily_usage(null, null) where tenant_id = any($1)', [[tenantA, tenantB]]))
    expect(daily.rows).toEqual([{ tenant_id: tenantA }])
  })
})
