import { createHash } from 'node:crypto'
import { CONSENT_SOURCES, CONSENT_TYPES, POLICY_VERSIONS, REVOCATION_REASONS, SUBJECT_EMAIL_DOMAINS } from '../pools/consent'
import { endUserId } from '../pools/people'
import { Rng } from '../prng'
import { addMs, DAY_MS, daysBefore } from '../time'
import type { TenantSeed, World } from '../world'
import type { Row, TableLoad } from './types'

/** The data_subjects id of one tenant's customer: derived, so every table can name it without a lookup. */
export function subjectId(world: World, tenantId: string, userId: string): string {
  return new Rng(world.seed, 'subject', tenantId, userId).uuid()
}

/** The data_processing grant a consenting session relies on (sessions.consent_record_id). */
export function sessionConsentGrantId(world: World, sessionId: string): string {
  return new Rng(world.seed, 'session-consent', sessionId).uuid()
}

/** Proof of consent as the platform keeps it: the SHA-256 of the evidence, never the evidence (an IP address). */
function evidenceHash(rng: Rng): string {
  return createHash('sha256').update(`203.0.113.${rng.int(1, 254)}|${rng.hex(8)}`).digest('hex')
}

interface ConsentHistory {
  tenant: TenantSeed
  userId: string
  rows: Row[]
}

/**
 * One end user's consent history: a grant per purpose, some revoked later (the revocation names
 * its grant), a few granted again. Rows are events, in time order per user.
 */
function consentHistory(world: World, u: number): ConsentHistory {
  const rng = new Rng(world.seed, 'consent-user', u)
  const tenant = world.pickTenant(rng)
  const channel = rng.pick(['whatsapp', 'web', 'instagram'])
  const userId = endUserId(rng, channel)
  const language = tenant.company.language
  const rows: Row[] = []
  const firstSeen = daysBefore(world.anchor, rng.next() * (world.profile.historyDays + 180))
  const record = (fields: { type: string; granted: boolean; grantedAt: Date; at: Date; revokes: string | null; source: string; policy: string; details: object }): Row => ({
    id: rng.uuid(),
    tenant_id: tenant.id,
    user_id: userId,
    consent_type: fields.type,
    granted: fields.granted,
    granted_at: fields.grantedAt,
    revoked_at: fields.granted ? null : fields.at,
    consent_details: fields.details,
    created_at: fields.at,
    updated_at: fields.at,
    policy_version: fields.policy,
    legal_basis: 'consent',
    source_channel: channel,
    source_agent: fields.granted ? 'agent' : null,
    source_form: fields.source,
    evidence_hash: evidenceHash(rng),
    revokes_id: fields.revokes
  })
  for (const { type, purpose } of rng.sample(CONSENT_TYPES, rng.int(1, 3))) {
    const grantedAt = addMs(firstSeen, rng.int(0, 600_000))
    const policy = rng.pick(POLICY_VERSIONS)
    const grant = record({ type, granted: true, grantedAt, at: grantedAt, revokes: null, source: rng.pick(CONSENT_SOURCES), policy, details: { purpose: purpose[language] } })
    rows.push(grant)
    // Marketing consents are revoked far more often than the one needed to answer at all.
    if (rng.chance(type.startsWith('marketing') ? 0.45 : 0.15)) {
      const revokedAt = new Date(Math.min(world.anchor.getTime() - 60_000, grantedAt.getTime() + rng.int(1, 60) * DAY_MS))
      rows.push(record({ type, granted: false, grantedAt, at: revokedAt, revokes: grant.id as string, source: rng.pick(CONSENT_SOURCES), policy, details: { purpose: purpose[language], reason: rng.pick(REVOCATION_REASONS) } }))
      if (rng.chance(0.2) && revokedAt.getTime() + DAY_MS < world.anchor.getTime()) {
        const again = addMs(revokedAt, rng.int(1, 20) * DAY_MS)
        if (again < world.anchor) {
          rows.push(record({ type, granted: true, grantedAt: again, at: again, revokes: null, source: 'web_widget', policy: POLICY_VERSIONS.at(-1)!, details: { purpose: purpose[language], regranted: true } }))
        }
      }
    }
  }
  return { tenant, userId, rows }
}

/** A consenting session's user and the moment they accepted: the grant the session points at. */
export interface SessionConsent {
  tenant: TenantSeed
  sessionId: string
  userId: string
  channel: string
  at: Date
}

function sessionGrant(world: World, s: SessionConsent): Row {
  const rng = new Rng(world.seed, 'session-consent-row', s.sessionId)
  const purpose = CONSENT_TYPES.find((c) => c.type === 'data_processing')!.purpose[s.tenant.company.language]
  return {
    id: sessionConsentGrantId(world, s.sessionId),
    tenant_id: s.tenant.id,
    user_id: s.userId,
    consent_type: 'data_processing',
    granted: true,
    granted_at: s.at,
    revoked_at: null,
    consent_details: { purpose },
    created_at: s.at,
    updated_at: s.at,
    policy_version: POLICY_VERSIONS.at(-1)!,
    legal_basis: 'consent',
    source_channel: s.channel,
    source_agent: 'agent',
    source_form: 'chat_optin',
    evidence_hash: evidenceHash(rng),
    revokes_id: null
  }
}

/**
 * The consent records: first the grant of every consenting session (its flag names it), then
 * whole users' histories until the planned count (a cut never separates a revocation from the
 * grant before it).
 */
export function* consentRows(world: World, sessions: Iterable<SessionConsent>): Generator<Row> {
  let left = world.profile.consentRecords
  for (const s of sessions) {
    // A session whose grant were cut would point at nothing: the scale must plan for them all.
    if (left-- <= 0) throw new Error('seed: fewer consent records planned than consenting sessions')
    yield sessionGrant(world, s)
  }
  for (let u = 0; left > 0; u++) {
    for (const row of consentHistory(world, u).rows) {
      if (left-- <= 0) return
      yield row
    }
  }
}

export function consentLoad(world: World, sessions: () => Iterable<SessionConsent>): TableLoad {
  return { table: 'user_consent', planned: world.profile.consentRecords, rows: () => consentRows(world, sessions()) }
}

/** A customer as a data subject: WhatsApp ids carry the phone; most web and Instagram users left an email. */
function subjectRow(world: World, tenant: TenantSeed, userId: string, createdAt: Date): Row {
  const rng = new Rng(world.seed, 'subject-row', tenant.id, userId)
  const phone = userId.startsWith('wa:') ? userId.slice(3) : null
  const email = !phone && rng.chance(0.7) ? `cliente.${rng.hex(5)}@${rng.pick(SUBJECT_EMAIL_DOMAINS)}` : null
  return { id: subjectId(world, tenant.id, userId), tenant_id: tenant.id, external_id: userId, email, phone, created_at: createdAt, updated_at: createdAt }
}

/** Everyone with a session or a consent record, once per tenant. */
export function subjectsLoad(world: World, people: () => Iterable<{ tenant: TenantSeed; userId: string; at: Date }>): TableLoad {
  const count = () => {
    const seen = new Set<string>()
    for (const p of people()) seen.add(`${p.tenant.id}|${p.userId}`)
    return seen.size
  }
  return {
    table: 'data_subjects',
    planned: count(),
    *rows() {
      const seen = new Set<string>()
      for (const p of people()) {
        const key = `${p.tenant.id}|${p.userId}`
        if (seen.has(key)) continue
        seen.add(key)
        yield subjectRow(world, p.tenant, p.userId, p.at)
      }
    }
  }
}

/** The people of the consent histories that made it into the load (for data_subjects and derivations). */
export function* historyPeople(world: World, sessionGrants: number): Generator<{ tenant: TenantSeed; userId: string; at: Date; revokedTraining: boolean }> {
  let left = world.profile.consentRecords - sessionGrants
  for (let u = 0; left > 0; u++) {
    const history = consentHistory(world, u)
    const kept = history.rows.slice(0, Math.max(0, left))
    left -= history.rows.length
    if (kept.length === 0) return
    const revokedTraining = kept.some((r) => r.consent_type === 'ai_training' && !r.granted) && !kept.some((r) => r.consent_type === 'ai_training' && r.granted && (r.consent_details as { regranted?: boolean }).regranted)
    yield { tenant: history.tenant, userId: history.userId, at: kept[0]!.created_at as Date, revokedTraining }
  }
}

/**
 * Where global learnings came from: each links to people of its tenant, preferring those who
 * later revoked the consent to train on their conversations (the consent impact screen's case).
 */
export function derivationLoad(world: World, globalLearnings: () => Iterable<Row>, people: () => Iterable<{ tenant: TenantSeed; userId: string; revokedTraining: boolean }>): TableLoad {
  const build = (): Row[] => {
    const byTenant = new Map<string, { userId: string; revokedTraining: boolean }[]>()
    for (const p of people()) {
      const list = byTenant.get(p.tenant.id) ?? []
      if (list.length < 50) list.push(p)
      byTenant.set(p.tenant.id, list)
    }
    const rows: Row[] = []
    for (const learning of globalLearnings()) {
      const tenantId = learning.tenant_id as string
      const candidates = byTenant.get(tenantId) ?? []
      const rng = new Rng(world.seed, 'derivation', learning.id as string)
      const revoked = candidates.filter((c) => c.revokedTraining)
      const chosen = new Set([...(revoked.length ? [rng.pick(revoked)] : []), ...rng.sample(candidates, Math.min(2, candidates.length))])
      for (const c of chosen) {
        rows.push({ id: rng.uuid(), tenant_id: tenantId, derived_table: 'learnings', derived_id: learning.id, subject_id: subjectId(world, tenantId, c.userId), subject_erased: false, created_at: learning.created_at, updated_at: learning.created_at })
      }
    }
    return rows
  }
  const planned = build().length
  return { table: 'derivation_sources', planned, rows: build }
}

/**
 * Data-subject requests in every state and of every type; one is overdue; one erasure waits for
 * an admin's approval and one was carried out (its subject is gone, a receipt remains).
 */
export function requestLoads(world: World, subjects: { tenant: TenantSeed; userId: string }[]): TableLoad[] {
  const support = world.operators.find((o) => o.groups.includes('support'))!.name
  const admin = world.operators.find((o) => o.groups.includes('admin'))!.name
  const rng = new Rng(world.seed, 'requests')
  const plans: { type: string; regulation: 'gdpr' | 'ccpa'; status: string; ageDays: number; extended?: string; denial?: string; erased?: boolean }[] = [
    { type: 'access', regulation: 'gdpr', status: 'received', ageDays: 2 },
    { type: 'rectification', regulation: 'ccpa', status: 'identity_verified', ageDays: 6 },
    // Overdue: received 41 days ago under GDPR, not extended.
    { type: 'access', regulation: 'gdpr', status: 'in_progress', ageDays: 41 },
    { type: 'restriction', regulation: 'gdpr', status: 'in_progress', ageDays: 20, extended: 'Data spread across three legacy systems; export takes longer' },
    { type: 'erasure', regulation: 'gdpr', status: 'in_progress', ageDays: 5 },
    { type: 'access', regulation: 'ccpa', status: 'fulfilled', ageDays: 30 },
    { type: 'erasure', regulation: 'gdpr', status: 'denied', ageDays: 25, denial: 'Identity could not be verified after two attempts' },
    { type: 'erasure', regulation: 'gdpr', status: 'fulfilled', ageDays: 15, erased: true }
  ]
  const requests: Row[] = []
  const receipts: Row[] = []
  plans.forEach((p, i) => {
    const subject = subjects[(i * 7) % subjects.length]!
    const received = daysBefore(world.anchor, p.ageDays + rng.next())
    const days = p.regulation === 'gdpr' ? 30 : 45
    const closed = p.status === 'fulfilled' || p.status === 'denied' ? addMs(received, rng.int(2, 10) * DAY_MS) : null
    const verified = p.status === 'received' ? null : addMs(received, rng.int(1, 2) * DAY_MS)
    const id = rng.uuid()
    requests.push({
      id,
      tenant_id: subject.tenant.id,
      subject_id: p.erased ? null : subjectId(world, subject.tenant.id, subject.userId),
      request_type: p.type,
      regulation: p.regulation,
      status: p.status,
      received_at: received,
      due_at: addMs(received, (days + (p.extended ? 60 : 0)) * DAY_MS),
      extension_reason: p.extended ?? null,
      extended_by: p.extended ? support : null,
      extended_at: p.extended ? addMs(received, 3 * DAY_MS) : null,
      assigned_to: p.status === 'received' ? null : support,
      requested_by: support,
      identity_verified_by: verified ? support : null,
      identity_verified_at: verified,
      erasure_approved_by: p.erased ? admin : null,
      erasure_approved_at: p.erased ? closed : null,
      denial_reason: p.denial ?? null,
      closed_at: closed,
      version: 1 + (verified ? 1 : 0) + (p.status === 'received' || p.status === 'identity_verified' ? 0 : 1) + (closed ? 1 : 0) + (p.extended ? 1 : 0),
      created_at: received,
      updated_at: closed ?? verified ?? received
    })
    if (p.erased) {
      receipts.push({
        id: rng.uuid(),
        tenant_id: subject.tenant.id,
        request_id: id,
        requested_by: support,
        approved_by: admin,
        erased_at: closed,
        removed: { conversations: rng.int(3, 30), sessions: rng.int(1, 3), consent_records: rng.int(1, 4), data_subjects: 1 },
        pseudonymized: { usage_records: 0, events: 0, audit_logs: rng.int(0, 3), derivation_sources: 0 },
        created_at: closed,
        updated_at: closed
      })
    }
  })
  return [
    { table: 'data_subject_requests', planned: requests.length, rows: () => requests },
    { table: 'erasure_receipts', planned: receipts.length, rows: () => receipts }
  ]
}
