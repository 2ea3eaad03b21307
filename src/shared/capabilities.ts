/*
 * What each operator group may do, in every area: the one table the main process's gate, the
 * renderer's controls and navigation, and test/capabilities/grants.test.ts read. The database
 * still decides (grants, RLS, definer functions); this table only lets the console refuse early
 * and say why. `needs` names the database objects a capability uses: the test checks that exactly
 * the listed groups hold those privileges, so the screen and the database cannot drift apart.
 */

export const OPERATOR_GROUPS = ['support', 'moderator', 'finance', 'admin'] as const
export type OperatorGroup = (typeof OPERATOR_GROUPS)[number]

/** A privilege the database must grant a group for a capability to work. */
export type DatabaseNeed =
  | { table: string; privilege: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'; columns?: readonly string[] }
  /** A function signature as to_regprocedure reads it, e.g. 'app.lookup_tenant(text)'. */
  | { function: string }

/** Why a capability is off, as a message key the renderer translates ('requiresAnyGroup': a role in no console group). */
export type CapabilityDenial = 'requiresAdmin' | 'requiresSupportOrAdmin' | 'requiresFinanceOrAdmin' | 'requiresModeratorOrAdmin' | 'requiresAnyGroup'

export interface CapabilityRule {
  groups: readonly OperatorGroup[]
  /** Said when the operator is in none of `groups`; absent when every group has it. */
  denial?: CapabilityDenial
  needs: readonly DatabaseNeed[]
}

const EVERY_GROUP = OPERATOR_GROUPS
const SUPPORT_OR_ADMIN = { groups: ['support', 'admin'], denial: 'requiresSupportOrAdmin' } as const
const ADMIN = { groups: ['admin'], denial: 'requiresAdmin' } as const
/** Moderation: moderators and admins (the database also wants the admin assigned to all tenants); support cannot moderate. */
const MODERATOR_OR_ADMIN = { groups: ['moderator', 'admin'], denial: 'requiresModeratorOrAdmin' } as const

export const CAPABILITIES = {
  // Areas: which screens each group can open (the navigation hides the others).
  'area.overview': { groups: EVERY_GROUP, needs: [{ function: 'app.my_groups()' }] },
  'area.tenants': { groups: EVERY_GROUP, needs: [{ table: 'public.tenants', privilege: 'SELECT', columns: ['id', 'slug', 'name'] }] },
  'area.executions': { ...SUPPORT_OR_ADMIN, needs: [{ table: 'public.executions', privilege: 'SELECT' }, { table: 'public.execution_steps', privilege: 'SELECT' }] },
  'area.audit': { ...SUPPORT_OR_ADMIN, needs: [{ table: 'public.audit_logs', privilege: 'SELECT' }] },
  'area.settings': { groups: EVERY_GROUP, needs: [] },
  'area.maintenance': { ...ADMIN, needs: [{ function: 'app.maintenance_jobs()' }, { function: 'app.event_partition_coverage()' }] },
  /** Usage analytics: finance and admins platform-wide, support for its own tenants. */
  'area.usage': {
    groups: ['support', 'finance', 'admin'],
    denial: 'requiresAnyGroup',
    needs: [{ function: 'app.usage_rollup(date, date)' }, { function: 'app.daily_usage_freshness()' }, { function: 'app.usage_limits()' }, { table: 'public.subscriptions', privilege: 'SELECT' }]
  },
  'usage.invoicePreview': { groups: ['support', 'finance', 'admin'], denial: 'requiresAnyGroup', needs: [{ function: 'app.invoice_preview(uuid, date, date)' }, { table: 'public.price_book_unit_prices', privilege: 'SELECT' }] },
  'usage.reconcile': {
    groups: ['finance', 'admin'],
    denial: 'requiresFinanceOrAdmin',
    needs: [{ function: 'app.usage_reconciliation(date, date, text)' }, { function: 'app.unbilled_usage(date, date)' }]
  },
  'area.consent': {
    ...SUPPORT_OR_ADMIN,
    needs: [
      { table: 'public.consent_current', privilege: 'SELECT' },
      { table: 'public.data_subjects', privilege: 'SELECT' },
      { table: 'public.data_subject_requests', privilege: 'SELECT' }
    ]
  },

  // Tenants.
  /** The support directory: contacts, domains, usage and credential figures of the visible tenants. */
  'tenants.directory': {
    ...SUPPORT_OR_ADMIN,
    needs: [
      { function: 'app.tenant_directory(text, text, text, text)' },
      // Its pages and their count (migration 027).
      { function: 'app.tenant_directory_page(text, text, text, text, text, boolean, integer, integer, integer)' },
      { function: 'app.tenant_directory_count(text, text, text, text, integer)' }
    ]
  },
  /** The narrow list every group can use: names (and plan and status where granted) only. */
  'tenants.names': { groups: EVERY_GROUP, needs: [{ table: 'public.tenants', privilege: 'SELECT', columns: ['id', 'slug', 'name'] }] },
  'tenants.open': {
    ...SUPPORT_OR_ADMIN,
    needs: [
      { table: 'public.tenant_domains', privilege: 'SELECT' },
      { table: 'public.tenant_limits', privilege: 'SELECT' },
      { table: 'public.tenant_credentials', privilege: 'SELECT', columns: ['id', 'tenant_id', 'active', 'expires_at'] },
      { table: 'public.sessions', privilege: 'SELECT' },
      { table: 'public.conversations', privilege: 'SELECT' }
    ]
  },
  'tenants.requestAccess': { ...SUPPORT_OR_ADMIN, needs: [{ function: 'app.request_break_glass(uuid, text, integer)' }, { function: 'app.lookup_tenant(text)' }] },
  'tenants.editProfile': {
    ...SUPPORT_OR_ADMIN,
    needs: [{ table: 'public.tenants', privilege: 'UPDATE', columns: ['name', 'contact_email', 'website_url', 'business_industry'] }]
  },
  'tenants.manageDomains': {
    ...SUPPORT_OR_ADMIN,
    needs: [
      { table: 'public.tenant_domains', privilege: 'INSERT' },
      { table: 'public.tenant_domains', privilege: 'DELETE' }
    ]
  },
  'tenants.changeStatus': { ...ADMIN, needs: [{ table: 'public.tenants', privilege: 'UPDATE', columns: ['status', 'status_reason'] }] },
  'tenants.editLimits': {
    ...ADMIN,
    needs: [
      { table: 'public.tenant_limits', privilege: 'INSERT' },
      { table: 'public.tenant_limits', privilege: 'UPDATE' }
    ]
  },
  // Maintenance: platform-wide jobs (the functions also refuse an admin of some tenants only).
  'maintenance.run': {
    ...ADMIN,
    needs: [
      { function: 'app.claim_maintenance_job(text, integer, boolean)' },
      { function: 'app.report_maintenance_progress(text, uuid, bigint, bigint, integer)' },
      { function: 'app.finish_maintenance_job(text, uuid, bigint, text)' },
      { function: 'app.archivable_executions(integer)' },
      { function: 'app.archive_executions_batch(integer, integer)' },
      { function: 'app.create_event_partitions(integer, integer)' },
      { function: 'app.fold_daily_usage()' },
      { function: 'app.verify_audit_chains(uuid, boolean, integer)' }
    ]
  },
  'maintenance.schedule': { ...ADMIN, needs: [{ function: 'app.set_maintenance_schedule(boolean, integer, integer, integer, integer, integer)' }] },

  // Consent and data-subject requests (finance and moderators get nothing of it: migrations/013).
  'consent.lookup': { ...SUPPORT_OR_ADMIN, needs: [{ function: 'app.lookup_subject(text, text)' }] },
  'consent.handleRequests': {
    ...SUPPORT_OR_ADMIN,
    needs: [
      { function: 'app.create_subject_request(uuid, uuid, text, text)' },
      { function: 'app.advance_subject_request(uuid, integer, text, text)' },
      { function: 'app.extend_subject_request(uuid, integer, text)' },
      { function: 'app.assign_subject_request(uuid, integer, text)' },
      { function: 'app.subject_requests_due(integer)' }
    ]
  },
  'consent.accessExport': {
    ...SUPPORT_OR_ADMIN,
    needs: [
      { table: 'public.user_consent', privilege: 'SELECT' },
      { table: 'public.sessions', privilege: 'SELECT' },
      { table: 'public.conversations', privilege: 'SELECT' },
      { table: 'public.local_context', privilege: 'SELECT' },
      { table: 'public.derivation_sources', privilege: 'SELECT' }
    ]
  },
  'consent.approveErasure': { ...ADMIN, needs: [{ function: 'app.approve_erasure(uuid, integer)' }] },
  'consent.impact': { ...SUPPORT_OR_ADMIN, needs: [{ function: 'app.consent_impact()' }, { function: 'app.consent_impact_totals()' }] },
  'consent.resolveImpact': { ...ADMIN, needs: [{ function: 'app.resolve_consent_impact(text, text, uuid, text)' }] },

  // Marketplace moderation (migrations/012): every change goes through one definer function per transition.
  // Support reads the templates of its own tenants, but the queue is for those who can claim from it.
  'area.marketplace': { ...MODERATOR_OR_ADMIN, needs: [{ function: 'app.claim_template(uuid, integer)' }] },
  'marketplace.claim': { ...MODERATOR_OR_ADMIN, needs: [{ function: 'app.claim_template(uuid, integer)' }, { function: 'app.release_template(uuid, integer)' }] },
  'marketplace.decide': {
    ...MODERATOR_OR_ADMIN,
    needs: [{ function: 'app.approve_template(uuid, integer, text, text)' }, { function: 'app.reject_template(uuid, integer, text, text)' }]
  },
  'marketplace.publish': { ...MODERATOR_OR_ADMIN, needs: [{ function: 'app.publish_template(uuid, integer)' }] },
  'marketplace.takeDown': { ...MODERATOR_OR_ADMIN, needs: [{ function: 'app.take_down_template(uuid, integer, text, text)' }] },
  'marketplace.moderateReviews': { ...MODERATOR_OR_ADMIN, needs: [{ function: 'app.set_review_hidden(uuid, integer, boolean, text, text)' }] },
  /** The SLA target and the claim lease: platform settings, admins only. */
  'marketplace.settings': { ...ADMIN, needs: [{ table: 'public.moderation_settings', privilege: 'UPDATE', columns: ['claim_lease', 'review_sla'] }] },

  // Credentials (issue 13): support sees and may ask for a roll; admins roll and revoke.
  'area.credentials': {
    ...SUPPORT_OR_ADMIN,
    needs: [
      { function: 'app.credential_list(text, text, text, text, uuid, integer, timestamp with time zone, uuid, integer)' },
      { function: 'app.credential_counts(integer)' },
      { function: 'app.credentials_due(integer)' },
      { table: 'public.credential_versions_now', privilege: 'SELECT' },
      { table: 'public.credential_policies', privilege: 'SELECT' }
    ]
  },
  'credentials.requestRoll': { ...SUPPORT_OR_ADMIN, needs: [{ function: 'app.request_credential_roll(uuid, text)' }] },
  'credentials.roll': {
    ...ADMIN,
    needs: [{ function: 'app.begin_credential_roll(uuid, integer, text, text, text, text, text, text, jsonb)' }, { function: 'app.activate_credential_version(uuid, interval)' }]
  },
  'credentials.revoke': {
    ...ADMIN,
    needs: [{ function: 'app.revoke_credential_version(uuid, text, text)' }, { function: 'app.revoke_credential(uuid, text, text)' }]
  },
  'credentials.setPolicy': { ...ADMIN, needs: [{ table: 'public.credential_policies', privilege: 'UPDATE', columns: ['max_age_days'] }] },

  // Operators and access (issue 15 §3, migrations/021): admins of all tenants (the database refuses the others).
  'area.operators': { ...ADMIN, needs: [{ function: 'app.operators()' }, { function: 'app.operator_actions(name, integer)' }] },
  'operators.assign': {
    ...ADMIN,
    needs: [
      { table: 'public.operator_tenants', privilege: 'INSERT' },
      { table: 'public.operator_tenants', privilege: 'DELETE' }
    ]
  },
  'operators.endGrant': { ...ADMIN, needs: [{ function: 'app.end_break_glass(uuid, text)' }] }
} as const satisfies Record<string, CapabilityRule>

export type Capability = keyof typeof CAPABILITIES
export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as Capability[]

/** The capabilities an area's own name ('area.<id>') stands for; other ids are not areas. */
export type AreaCapability = Extract<Capability, `area.${string}`>

export type CapabilityCheck = { allowed: true } | { allowed: false; reason: CapabilityDenial }

/** Whether an operator in `groups` (as app.my_groups() reports them) has `capability`. */
export function checkCapability(groups: readonly string[], capability: Capability): CapabilityCheck {
  const rule: CapabilityRule = CAPABILITIES[capability]
  if (rule.groups.some((g) => groups.includes(g))) return { allowed: true }
  return { allowed: false, reason: rule.denial ?? 'requiresAnyGroup' }
}

export function hasCapability(groups: readonly string[], capability: Capability): boolean {
  return checkCapability(groups, capability).allowed
}
