import { PgArray, type CopyValue } from '../copy-text'
import { demoOperatorName } from '../operators'
import { Rng } from '../prng'
import { spreadOverHistory } from '../time'
import type { TenantSeed, World } from '../world'
import { sessionPlan } from './activity'
import type { Marketplace } from './marketplace'
import type { Row, TableLoad } from './types'
import { activeTenantAt } from './usage'

/**
 * Audit rows are generated, not left to the triggers: the triggers stamp now() and random ids,
 * which would make two loads of one seed differ. The rows say what the triggers would have said
 * (action = TG_OP, resource_type = table, full row documents) and are chained afterwards by
 * app.audit_rechain; secret columns are redacted in the database by app.redact_secrets, the one
 * place that knows which columns are secret.
 */

const CONSOLE_AGENT = 'AgenteVirtualConsole/0.1.0 (Electron; Windows NT 10.0)'

interface AuditEntry {
  at: Date
  tenantId: string | null
  actor: string
  action: 'INSERT' | 'UPDATE' | 'DELETE'
  resourceType: string
  resourceId: string | null
  oldValues: object | null
  newValues: object | null
}

/** A row as to_jsonb() would render it: dates as ISO strings, arrays as JSON arrays. */
export function toDoc(row: Row, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const doc: Record<string, unknown> = {}
  for (const [k, v] of Object.entries({ ...row, ...overrides })) {
    doc[k] = v instanceof Date ? v.toISOString() : v instanceof PgArray ? [...v.items] : (v as CopyValue) ?? null
  }
  return doc
}

export interface AuditSources {
  tenants: Row[]
  domains: Row[]
  limits: Row[]
  credentials: Row[]
  assignments: Row[]
  grants: Row[]
  market: Marketplace
}

/** The support operator assigned to the tenant's language (the one who would have touched it). */
function supportFor(world: World, tenant: TenantSeed): string {
  const assignment = tenant.company.language === 'es' ? 'spanish' : 'english'
  return (world.operators.find((o) => o.assignment === assignment) ?? world.operators[0]!).name
}

/** What operators did to the rows this seed loads: each changed row has the audit row that explains it. */
function storyEntries(world: World, src: AuditSources): AuditEntry[] {
  const admin = demoOperatorName(world.rolePrefix, 'admin')
  const moderator = demoOperatorName(world.rolePrefix, 'moderator')
  const byId = new Map(world.tenants.map((t) => [t.id, t]))
  const entries: AuditEntry[] = []

  for (const row of src.tenants) {
    if (row.status === 'active') continue
    entries.push({ at: row.status_changed_at as Date, tenantId: row.id as string, actor: admin, action: 'UPDATE', resourceType: 'tenants', resourceId: row.id as string,
      oldValues: toDoc(row, { status: 'active', status_reason: null, status_changed_at: null }), newValues: toDoc(row, { updated_by: admin }) })
  }
  for (const row of src.domains) {
    if (!row.verified_at) continue
    entries.push({ at: row.verified_at as Date, tenantId: row.tenant_id as string, actor: admin, action: 'UPDATE', resourceType: 'tenant_domains', resourceId: row.id as string,
      oldValues: toDoc(row, { verified: false, verified_at: null }), newValues: toDoc(row, { updated_at: row.verified_at, updated_by: admin }) })
  }
  for (const row of src.credentials) {
    if (!row.rotated_at) continue
    const rng = new Rng(world.seed, 'rotation', row.id as string)
    entries.push({ at: row.rotated_at as Date, tenantId: row.tenant_id as string, actor: admin, action: 'UPDATE', resourceType: 'tenant_credentials', resourceId: row.id as string,
      oldValues: toDoc(row, { client_secret_encrypted: `enc:v1:demo-key:${rng.base64(48)}`, hmac_secret_encrypted: `enc:v1:demo-key:${rng.base64(32)}`, rotated_at: null }),
      newValues: toDoc(row, { updated_by: admin }) })
  }
  for (const row of src.limits) {
    const tenant = byId.get(row.tenant_id as string)!
    if (tenant.index % 5 !== 1) continue
    const at = new Date((row.created_at as Date).getTime() + 30 * 86_400_000)
    entries.push({ at, tenantId: tenant.id, actor: admin, action: 'UPDATE', resourceType: 'tenant_limits', resourceId: row.id as string,
      oldValues: toDoc(row, { agent_usage_limit: Math.round((row.agent_usage_limit as number) / 1.5) }), newValues: toDoc(row, { updated_at: at, updated_by: admin }) })
  }
  for (const row of src.assignments) {
    entries.push({ at: row.created_at as Date, tenantId: (row.tenant_id as string | null) ?? null, actor: admin, action: 'INSERT', resourceType: 'operator_tenants', resourceId: row.id as string, oldValues: null, newValues: toDoc(row) })
  }
  for (const row of src.grants) {
    entries.push({ at: row.granted_at as Date, tenantId: row.tenant_id as string, actor: row.operator as string, action: 'INSERT', resourceType: 'break_glass_grants', resourceId: row.id as string, oldValues: null, newValues: toDoc(row) })
  }
  for (const row of src.market.templates) {
    if (!row.reviewed_at) continue
    entries.push({ at: row.reviewed_at as Date, tenantId: row.tenant_id as string, actor: moderator, action: 'UPDATE', resourceType: 'templates', resourceId: row.id as string,
      oldValues: toDoc(row, { status: 'in_review', reviewer: null, reviewed_at: null, rejection_reason: null, published_at: null }),
      newValues: toDoc(row, { status: row.status === 'rejected' ? 'rejected' : 'approved', updated_by: moderator }) })
  }
  for (const row of src.market.reviews) {
    if (!row.hidden) continue
    entries.push({ at: row.hidden_at as Date, tenantId: row.tenant_id as string, actor: moderator, action: 'UPDATE', resourceType: 'reviews', resourceId: row.id as string,
      oldValues: toDoc(row, { hidden: false, hidden_reason: null, hidden_by: null, hidden_at: null }), newValues: toDoc(row, { updated_by: moderator }) })
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.resourceId ?? '').localeCompare(b.resourceId ?? ''))
}

/** Routine operator work between the story's events: profile edits, session expiries, limit tweaks. */
function routineEntry(world: World, i: number, count: number): AuditEntry {
  const rng = new Rng(world.seed, 'audit', i)
  const at = spreadOverHistory(rng, world.anchor, world.profile.historyDays, i, count)
  const tenant = activeTenantAt(world, rng, at)
  const kind = rng.weighted([['session', 5], ['profile', 3], ['limits', 2]] as const)
  const stamp = at.toISOString()
  if (kind === 'session') {
    const session = sessionPlan(world, tenant, rng.int(0, world.profile.sessionsPerTenant - 1))
    const actor = supportFor(world, tenant)
    return { at, tenantId: tenant.id, actor, action: 'UPDATE', resourceType: 'sessions', resourceId: session.id,
      oldValues: { id: session.id, tenant_id: tenant.id, session_key: session.key, expires_at: new Date(at.getTime() + 86_400_000).toISOString() },
      newValues: { id: session.id, tenant_id: tenant.id, session_key: session.key, expires_at: stamp, updated_at: stamp, updated_by: actor } }
  }
  if (kind === 'profile') {
    const actor = supportFor(world, tenant)
    const local = rng.pick(['info', 'hola', 'contact', 'office', 'admin'])
    return { at, tenantId: tenant.id, actor, action: 'UPDATE', resourceType: 'tenants', resourceId: tenant.id,
      oldValues: { id: tenant.id, slug: tenant.slug, name: tenant.company.name, contact_email: `info@${tenant.company.domain}` },
      newValues: { id: tenant.id, slug: tenant.slug, name: tenant.company.name, contact_email: `${local}@${tenant.company.domain}`, updated_at: stamp, updated_by: actor } }
  }
  const admin = demoOperatorName(world.rolePrefix, 'admin')
  const before = rng.pick([60, 100, 120, 300])
  return { at, tenantId: tenant.id, actor: admin, action: 'UPDATE', resourceType: 'tenant_limits', resourceId: tenant.limitId,
    oldValues: { id: tenant.limitId, tenant_id: tenant.id, requests_per_minute: before },
    newValues: { id: tenant.limitId, tenant_id: tenant.id, requests_per_minute: before * 2, updated_at: stamp, updated_by: admin } }
}

export function auditLoad(world: World, sources: AuditSources): TableLoad {
  const story = storyEntries(world, sources)
  const planned = Math.max(world.profile.auditLogs, story.length)
  const routine = planned - story.length
  return {
    table: 'audit_logs',
    planned,
    *rows() {
      const rng = new Rng(world.seed, 'audit-ids')
      let s = 0
      let seq = 0
      for (let i = 0; i <= routine; i++) {
        const next = i < routine ? routineEntry(world, i, routine) : null
        // Merge by time: the story is sorted, routine entries come in time order.
        while (s < story.length && (next === null || story[s]!.at <= next.at)) yield auditRow(story[s++]!, ++seq, rng)
        if (next) yield auditRow(next, ++seq, rng)
      }
    }
  }
}

function auditRow(e: AuditEntry, seq: number, rng: Rng): Row {
  return {
    id: rng.uuid(),
    seq,
    tenant_id: e.tenantId,
    actor: e.actor,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    old_values: e.oldValues,
    new_values: e.newValues,
    ip_address: `198.51.100.${(seq % 200) + 10}`,
    user_agent: CONSOLE_AGENT,
    created_at: e.at
  }
}
