import type { PoolClient } from 'pg'
import type {
  HistoryEntry,
  ModerationSettings,
  PurchaseRow,
  ReasonOption,
  RiskReportDto,
  TemplateDetail,
  TemplateState,
  VersionDiff,
  VersionSummary,
  WorkflowGraph
} from '../../../shared/rpc/areas/marketplace'
import { RpcError } from '../../../shared/rpc/errors'
import type { Database } from '../../db/types'
import { isoMillis } from '../../reads/sql'
import { analyzeWorkflow, diffWorkflows } from './risk'
import { readWorkflow } from './risk/workflow'

/** The graph the review screen draws: the analyzer's own reading of the export, so both show the same nodes and ids. */
function toGraph(definition: unknown): WorkflowGraph {
  const workflow = readWorkflow(definition)
  return workflow ? { readable: true, ...workflow } : { readable: false, nodes: [], edges: [] }
}

/** The same answer for an unknown template and one the role may not read: no existence oracle. */
function notFound(): RpcError {
  return new RpcError('NOT_FOUND', 'No such template, or your role may not read it.')
}

interface TemplateDbRow {
  id: string
  version: number
  name: string
  description: string
  category: string
  tags: string[]
  status: TemplateState
  price: string
  currency: string
  is_free: boolean
  is_featured: boolean
  tenant_id: string
  tenant_name: string | null
  tenant_slug: string | null
  creator_user_id: string
  submitted_at: string | null
  published_at: string | null
  reviewer: string | null
  reviewed_at: string | null
  claimed_by: string | null
  claim_expires_at: string | null
  claim_active: boolean
  decision_reason_code: string | null
  decision_note: string | null
  takedown_reason_code: string | null
  takedown_reason: string | null
  taken_down_by: string | null
  taken_down_at: string | null
  rating_avg: string
  rating_count: number
  download_count: number
  updated_by: string
  updated_at: string
  current_version_id: string | null
  approved_version_id: string | null
  published_version_id: string | null
  definition: unknown
  me: string
  author_name: string | null
}

export async function templateDetail(db: Database, templateId: string): Promise<TemplateDetail> {
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<TemplateDbRow>(
      `select t.id, t.version, t.name, t.description, t.category, t.tags, t.status, t.price::text as price, t.currency, t.is_free, t.is_featured,
              t.tenant_id, n.name as tenant_name, n.slug as tenant_slug, t.creator_user_id, ${isoMillis('t.submitted_at')} as submitted_at,
              ${isoMillis('t.published_at')} as published_at, t.reviewer, ${isoMillis('t.reviewed_at')} as reviewed_at, t.claimed_by,
              ${isoMillis('t.claim_expires_at')} as claim_expires_at, coalesce(t.claim_expires_at > statement_timestamp(), false) as claim_active,
              t.decision_reason_code, t.decision_note, t.takedown_reason_code, t.takedown_reason, t.taken_down_by,
              ${isoMillis('t.taken_down_at')} as taken_down_at, t.rating_avg::text as rating_avg, t.rating_count, t.download_count, t.updated_by,
              ${isoMillis('t.updated_at')} as updated_at, t.current_version_id, t.approved_version_id, t.published_version_id,
              v.definition, session_user::text as me, u.full_name as author_name
         from public.templates t
         left join public.tenants n on n.id = t.tenant_id
         left join public.users u on u.tenant_id = t.tenant_id and u.id = t.creator_user_id
         left join public.template_versions v on v.id = t.current_version_id
        where t.id = $1`,
      [templateId]
    )
    const row = rows[0]
    if (!row) throw notFound()
    const versions = await client.query<{ id: string; number: number; content_hash: string; name: string; created_at: string; created_by: string }>(
      `select id, number, content_hash, name, ${isoMillis('created_at')} as created_at, created_by from public.template_versions where template_id = $1 order by number desc`,
      [templateId]
    )
    const list: VersionSummary[] = versions.rows.map((v) => ({ id: v.id, number: v.number, contentHash: v.content_hash, name: v.name, createdAt: v.created_at, createdBy: v.created_by }))
    return {
      id: row.id,
      version: row.version,
      name: row.name,
      description: row.description,
      category: row.category,
      tags: row.tags,
      status: row.status,
      price: row.price,
      currency: row.currency,
      isFree: row.is_free,
      isFeatured: row.is_featured,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      tenantSlug: row.tenant_slug,
      creatorUserId: row.creator_user_id,
      authorName: row.author_name,
      submittedAt: row.submitted_at,
      publishedAt: row.published_at,
      reviewer: row.reviewer,
      reviewedAt: row.reviewed_at,
      claimedBy: row.claimed_by,
      claimExpiresAt: row.claim_expires_at,
      claimActive: row.claim_active,
      claimedByMe: row.claim_active && row.claimed_by === row.me,
      decisionReasonCode: row.decision_reason_code,
      decisionNote: row.decision_note,
      takedownReasonCode: row.takedown_reason_code,
      takedownReason: row.takedown_reason,
      takenDownBy: row.taken_down_by,
      takenDownAt: row.taken_down_at,
      ratingAvg: row.rating_avg,
      ratingCount: row.rating_count,
      downloadCount: row.download_count,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
      versions: list,
      currentVersionId: row.current_version_id,
      approvedVersionId: row.approved_version_id,
      publishedVersionId: row.published_version_id,
      graph: toGraph(row.definition),
      me: row.me
    }
  })
}

async function versionOf(client: PoolClient, templateId: string, versionId: string | null): Promise<{ id: string; number: number; definition: unknown } | null> {
  const { rows } = await client.query<{ id: string; number: number; definition: unknown; found: boolean }>(
    `select v.id, v.number, v.definition
       from public.templates t join public.template_versions v on v.template_id = t.id and v.id = coalesce($2::uuid, t.current_version_id)
      where t.id = $1`,
    [templateId, versionId]
  )
  return rows[0] ?? null
}

export async function riskReport(db: Database, templateId: string, versionId: string | null): Promise<RiskReportDto> {
  const version = await db.withPlatform((client) => versionOf(client, templateId, versionId))
  if (!version) throw notFound()
  // Outside the transaction: the analysis is pure and must not hold a pooled connection.
  return analyzeWorkflow(version.definition)
}

/**
 * The current version against the last approved one (templates.approved_version_id) or, when none
 * was approved, the previous submission: a resubmission after a rejection shows what changed.
 */
export async function versionDiff(db: Database, templateId: string): Promise<VersionDiff> {
  const found = await db.withPlatform(async (client) => {
    const { rows } = await client.query<{ approved_version_id: string | null; current_version_id: string | null; previous_version_id: string | null }>(
      `select t.approved_version_id, t.current_version_id,
              (select p.id from public.template_versions p join public.template_versions c on c.id = t.current_version_id
                where p.template_id = t.id and p.number < c.number order by p.number desc limit 1) as previous_version_id
         from public.templates t where t.id = $1`,
      [templateId]
    )
    const row = rows[0]
    if (!row) throw notFound()
    const target = row.current_version_id ? await versionOf(client, templateId, row.current_version_id) : null
    const baseId = row.approved_version_id ?? row.previous_version_id
    const base = baseId ? await versionOf(client, templateId, baseId) : null
    return { base, target, kind: row.approved_version_id ? ('approved' as const) : ('previous' as const) }
  })
  const { base, target, kind } = found
  const diff = base && target && base.id !== target.id ? diffWorkflows(base.definition, target.definition) : { added: [], removed: [], changed: [], edgesAdded: [], edgesRemoved: [] }
  return { base: base && { id: base.id, number: base.number, kind }, target: target && { id: target.id, number: target.number }, ...diff }
}

export async function templatePurchases(db: Database, templateId: string, page: { offset: number; limit: number }): Promise<{ rows: PurchaseRow[]; total: number; offset: number }> {
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<{ id: string; tenant_id: string; tenant_name: string | null; price_paid: string; currency: string; status: PurchaseRow['status']; purchased_at: string; total: number }>(
      `select p.id, p.tenant_id, n.name as tenant_name, p.price_paid::text as price_paid, p.currency, p.status, ${isoMillis('p.purchased_at')} as purchased_at,
              count(*) over ()::integer as total
         from public.template_purchases p left join public.tenants n on n.id = p.tenant_id
        where p.template_id = $1
        order by p.purchased_at desc, p.id
       offset $2 limit $3`,
      [templateId, page.offset, page.limit]
    )
    return {
      rows: rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, tenantName: r.tenant_name, pricePaid: r.price_paid, currency: r.currency, status: r.status, purchasedAt: r.purchased_at })),
      total: rows[0]?.total ?? 0,
      offset: page.offset
    }
  })
}

export async function templateHistory(db: Database, templateId: string): Promise<{ entries: HistoryEntry[] }> {
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<{
      id: string; seq: string; action: string; from_status: string | null; to_status: string | null; reason_code: string | null; note: string | null
      version_number: number | null; review_id: string | null; created_by: string; created_at: string
    }>(
      `select h.id, h.seq::text as seq, h.action, h.from_status, h.to_status, h.reason_code, h.note, v.number as version_number, h.review_id,
              h.created_by, ${isoMillis('h.created_at')} as created_at
         from public.moderation_history h left join public.template_versions v on v.id = h.version_id
        where h.template_id = $1
        order by h.created_at desc, h.seq desc`,
      [templateId]
    )
    return {
      entries: rows.map((r) => ({
        id: r.id, seq: Number(r.seq), action: r.action, fromStatus: r.from_status, toStatus: r.to_status, reasonCode: r.reason_code, note: r.note,
        versionNumber: r.version_number, reviewId: r.review_id, actor: r.created_by, at: r.created_at
      }))
    }
  })
}

export async function moderationReasons(db: Database): Promise<{ reasons: ReasonOption[] }> {
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<ReasonOption>('select code, decision, label from public.moderation_reasons where active order by decision, code')
    return { reasons: rows }
  })
}

const SETTINGS_COLUMNS = `extract(epoch from review_sla)::integer / 3600 as "slaHours", extract(epoch from claim_lease)::integer / 60 as "claimLeaseMinutes"`

export async function moderationSettings(db: Database): Promise<ModerationSettings> {
  return db.withPlatform(async (client) => (await client.query<ModerationSettings>(`select ${SETTINGS_COLUMNS} from public.moderation_settings`)).rows[0]!)
}

/** Admins assigned to all tenants only: the row's policy refuses others (no row updated → FORBIDDEN). */
export async function updateModerationSettings(db: Database, settings: ModerationSettings): Promise<ModerationSettings> {
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<ModerationSettings>(
      `update public.moderation_settings set review_sla = make_interval(hours => $1::integer), claim_lease = make_interval(mins => $2::integer)
        returning ${SETTINGS_COLUMNS}`,
      [settings.slaHours, settings.claimLeaseMinutes]
    )
    if (!rows[0]) throw new RpcError('FORBIDDEN', 'Only administrators assigned to all tenants change the moderation settings.')
    return rows[0]
  })
}
