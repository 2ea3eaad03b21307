import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { makeTenant, uniqueRoleName } from './db'

/** The ids of one row per tenant-owned table, keyed by table name. */
export type TenantRows = Record<string, string>

/**
 * A new tenant with one row in every tenant-owned table (insertTenantRows), the assignment and
 * break-glass rows owned by a fresh login role: the setup of the database-rule suites.
 */
export async function makeTenantWithRows(admin: pg.Client, label: string): Promise<{ tenant: string; rows: TenantRows }> {
  const tenant = (await makeTenant(label)).id
  const other = uniqueRoleName('fixture')
  await admin.query(`create role ${other} login`)
  return { tenant, rows: await insertTenantRows(admin, tenant, other) }
}

/**
 * Inserts one valid row into every tenant-owned table for `tenantId`, as the admin (RLS is
 * bypassed: this is test setup). `otherOperator` owns the assignment and break-glass rows.
 */
export async function insertTenantRows(admin: pg.Client, tenantId: string, otherOperator: string): Promise<TenantRows> {
  const ids: TenantRows = { tenants: tenantId }
  const suffix = tenantId.slice(0, 8)
  const insert = async (table: string, row: Record<string, unknown>): Promise<string> => {
    const columns = ['tenant_id', ...Object.keys(row)]
    const values = Object.values(row).map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v))
    const { rows } = await admin.query<{ id: string }>(
      `insert into ${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')}) returning id::text`,
      [tenantId, ...values]
    )
    ids[table] = rows[0]!.id
    return rows[0]!.id
  }

  // An assignment must name an operator of this database (migration 024): a bare fixture role joins
  // the support group first; a role that already is an operator keeps its groups as they are.
  const { rows: known } = await admin.query<{ operator: boolean; support: string }>(`select app.is_operator($1) as operator, app.role_name('support') as support`, [otherOperator])
  if (!known[0]!.operator) await admin.query(`grant ${admin.escapeIdentifier(known[0]!.support)} to ${admin.escapeIdentifier(otherOperator)}`)
  await insert('operator_tenants', { operator: otherOperator })
  await insert('break_glass_grants', { operator: otherOperator, reason: 'fixture: investigating a ticket', expires_at: new Date(Date.now() + 3600_000) })
  const credential = await insert('tenant_credentials', { client_id: `client-${suffix}-${randomUUID().slice(0, 6)}`, client_secret_encrypted: 'enc:secret', hmac_secret_encrypted: 'enc:hmac' })
  await insert('credential_versions', { credential_id: credential, version: 1 })
  await insert('tenant_domains', { domain: `d-${suffix}-${randomUUID().slice(0, 6)}.example.com` })
  await insert('tenant_limits', {})
  const user = await insert('users', { email: `ana-${suffix}@example.com`, full_name: 'Ana García' })
  await insert('user_roles', { user_id: user, role: 'editor' })
  const session = await insert('sessions', { session_key: `s-${randomUUID()}`, channel: 'web', context: { userPreferences: { language: 'es' } } })
  await insert('conversations', { session_id: session, message: 'Hola', response: '¿En qué puedo ayudarte?', sentiment: 'neutral', confidence_score: 0.9 })
  await insert('local_context', { context_key: `k-${randomUUID()}`, context_value: { a: 1 } })
  await insert('user_consent', { user_id: 'u-1', consent_type: 'analytics', granted: true, granted_at: new Date() })
  await insert('embeddings', { source_text: 'hello', vector: [0.1, 0.2], content_type: 'faq' })
  const learning = await insert('learnings', { learning_type: 'insight', pattern: 'people ask at night' })
  const subject = await insert('data_subjects', { external_id: 'web:u-1', email: `u1-${suffix}@example.org` })
  const request = await insert('data_subject_requests', { subject_id: subject, request_type: 'access', regulation: 'gdpr', due_at: new Date() })
  await insert('erasure_receipts', { request_id: request, requested_by: 'x', approved_by: 'y', removed: {}, pseudonymized: {} })
  await insert('derivation_sources', { derived_table: 'learnings', derived_id: learning, subject_id: subject })
  const workflow = await insert('workflows', { name: 'Lead intake', definition: { nodes: [] } })
  const execution = await insert('executions', { workflow_id: workflow, status: 'error', error_message: 'timeout', started_at: new Date(Date.now() - 60_000), finished_at: new Date() })
  await insert('execution_steps', { execution_id: execution, step_index: 0, step_name: 'fetch', status: 'error' })
  await insert('executions_archive', {
    id: randomUUID(), workflow_id: workflow, status: 'success', started_at: new Date(), created_at: new Date(), updated_at: new Date(), created_by: 'x', updated_by: 'x'
  })
  const subscription = await insert('subscriptions', { stripe_customer_id: `cus_${suffix}`, plan_id: 'pro', status: 'active' })
  await insert('usage_records', { subscription_id: subscription, usage_type: 'executions', quantity: 3, currency: 'EUR', period_start: new Date(), period_end: new Date() })
  // Rollup rows are the fold's to write; these stand for one folded and one pending change.
  await insert('daily_usage_summary', { usage_type: 'executions', usage_date: '2020-01-01', currency: 'EUR', total_quantity: 3, total_amount: 0, record_count: 1, first_record: new Date(), last_record: new Date() })
  await insert('usage_rollup_deltas', { usage_type: 'executions', usage_date: '2020-01-01', currency: 'EUR', quantity: 3, amount: 0, records: 1, removed: false })
  const template = await insert('templates', { creator_user_id: user, name: 'CRM sync', description: 'Sync leads', category: 'crm', status: 'draft' })
  const submitted = await admin.query<{ id: string }>(`select id::text from app.submit_template($1, 1, $2)`, [template, { nodes: [], connections: {} }])
  ids.template_versions = submitted.rows[0]!.id
  ids.moderation_history = (await admin.query<{ id: string }>('select id::text from moderation_history where template_id = $1', [template])).rows[0]!.id
  await insert('template_purchases', { template_id: template, buyer_user_id: user, price_paid: 0, currency: 'USD' })
  await insert('reviews', { template_id: template, reviewer_user_id: user, rating: 4, title: 'Good' })
  await insert('events', { event_type: 'user_login', event_data: {}, user_id: user })
  await insert('sync_tombstones', { table_name: 'executions', row_id: randomUUID() })
  await insert('sync_purge_horizons', { table_name: 'executions', horizon_column: 'finished_at', before_ts: new Date() })
  const audit = await admin.query<{ id: string }>('select id::text from audit_logs where tenant_id = $1 order by seq desc limit 1', [tenantId])
  ids.audit_logs = audit.rows[0]!.id
  return ids
}

/** Tables that have a tenant column, with that column (tenants: its id). Partitions excluded. */
/**
 * The tables whose rows are a tenant's own records, each with an `id`. Derived tables keyed by the tenant
 * itself (the directory summary of migration 021) have no row of their own to aim at: derivedTenantTables.
 */
export async function tenantOwnedTables(client: pg.Client): Promise<{ table: string; column: string }[]> {
  const { rows } = await client.query<{ table: string; column: string }>(`
    select c.relname as table, case when c.relname = 'tenants' then 'id' else 'tenant_id' end as column
      from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
       and (c.relname = 'tenants' or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'id' and not a.attisdropped)
     order by c.relname`)
  return rows
}

/** Tables with a tenant column but no `id`: figures derived by triggers, read only through definer functions. */
export async function derivedTenantTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ table: string }>(`
    select c.relname as table from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
       and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'id' and not a.attisdropped)
     order by c.relname`)
  return rows.map((r) => r.table)
}
