import type { PoolClient } from 'pg'
import { QUEUE_STATES, RISK_LEVELS, TEMPLATE_STATES, type QueuePage, type QueueQuery, type QueueRow, type RiskLevel, type TemplateState } from '../../../shared/rpc/areas/marketplace'
import type { Database } from '../../db/types'
import { isoMillis, SqlWhere } from '../../reads/sql'
import { riskLevels } from './risk-levels'

/** Claimed, and the lease still runs (an expired claim is anybody's to take). */
const CLAIM_ACTIVE = 't.claimed_by is not null and t.claim_expires_at > statement_timestamp()'

/** Every filter but the states and the risk: the counts per state are taken under these. */
function baseFilter(filter: QueueQuery): SqlWhere {
  const where = new SqlWhere()
  if (filter.category !== null) where.add(`t.category = ${where.param(filter.category)}`)
  if (filter.pricing !== 'any') where.add(`t.is_free = ${where.param(filter.pricing === 'free')}`)
  if (filter.olderThanHours !== null) where.add(`t.submitted_at <= statement_timestamp() - make_interval(hours => ${where.param(filter.olderThanHours)}::integer)`)
  if (filter.claimed === 'me') where.add(`${CLAIM_ACTIVE} and t.claimed_by = session_user`)
  if (filter.claimed === 'others') where.add(`${CLAIM_ACTIVE} and t.claimed_by <> session_user`)
  if (filter.claimed === 'nobody') where.add(`not coalesce(${CLAIM_ACTIVE}, false)`)
  if (filter.search !== '') where.add(`strpos(lower(t.name), lower(${where.param(filter.search)})) > 0`)
  return where
}

interface QueueDbRow {
  id: string
  version: number
  name: string
  category: string
  status: TemplateState
  price: string
  currency: string
  is_free: boolean
  tenant_id: string
  tenant_name: string | null
  current_version_id: string | null
  version_number: number | null
  content_hash: string | null
  submitted_at: string | null
  claimed_by: string | null
  claim_expires_at: string | null
  claim_active: boolean
  claimed_by_me: boolean
}

const ROW_COLUMNS = `t.id, t.version, t.name, t.category, t.status, t.price::text as price, t.currency, t.is_free, t.tenant_id, n.name as tenant_name,
  t.current_version_id, v.number as version_number, v.content_hash, ${isoMillis('t.submitted_at')} as submitted_at,
  t.claimed_by, ${isoMillis('t.claim_expires_at')} as claim_expires_at,
  coalesce(${CLAIM_ACTIVE}, false) as claim_active, coalesce(${CLAIM_ACTIVE} and t.claimed_by = session_user, false) as claimed_by_me`
const ROW_FROM = `public.templates t
  left join public.tenants n on n.id = t.tenant_id
  left join public.template_versions v on v.id = t.current_version_id`
/** The distinct categories by a loose index scan (templates_category_idx): one index probe per category, not a pass over every template. */
const CATEGORIES = `with recursive c(category) as (
    (select t.category from public.templates t order by t.category limit 1)
    union all
    select (select t.category from public.templates t where t.category > c.category order by t.category limit 1) from c where c.category is not null
  ) select c.category::text from c where c.category is not null`
/** Oldest submission first (templates_queue_idx leads with status, submitted_at, id). */
const ORDER = 'order by t.submitted_at nulls last, t.id'

function toRow(row: QueueDbRow, risk: Map<string, RiskLevel>): QueueRow {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    category: row.category,
    status: row.status,
    price: row.price,
    currency: row.currency,
    isFree: row.is_free,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    versionNumber: row.version_number,
    submittedAt: row.submitted_at,
    claimedBy: row.claimed_by,
    claimExpiresAt: row.claim_expires_at,
    claimActive: row.claim_active,
    claimedByMe: row.claimed_by_me,
    risk: row.current_version_id ? (risk.get(row.current_version_id) ?? null) : null
  }
}

function versionsOf(rows: readonly { current_version_id: string | null; content_hash: string | null }[]) {
  return rows.flatMap((r) => (r.current_version_id && r.content_hash ? [{ versionId: r.current_version_id, hash: r.content_hash }] : []))
}

/**
 * Counts per state: kept by migration 015's triggers when no filter narrows them (the common
 * view, and the same figure at any marketplace size), counted live under a filter.
 */
async function counts(client: PoolClient, filter: QueueQuery): Promise<Record<TemplateState, number>> {
  const where = baseFilter(filter)
  const { rows } = where.params.length === 0 && filter.claimed === 'any'
    ? await client.query<{ status: TemplateState; n: number }>('select c.status, c.templates::integer as n from public.template_state_counts c')
    : await client.query<{ status: TemplateState; n: number }>(`select t.status, count(*)::integer as n from public.templates t ${where.sql()} group by t.status`, where.params)
  const result = Object.fromEntries(TEMPLATE_STATES.map((s) => [s, 0])) as Record<TemplateState, number>
  for (const row of rows) result[row.status] = row.n
  return result
}

/**
 * The review queue: oldest submission first, with counts per state, the SLA target and the
 * database's clock. A risk filter needs the level of every candidate: levels are remembered per
 * content hash (risk-levels.ts), so only versions never analyzed before are read and analyzed.
 */
export async function listQueue(db: Database, filter: QueueQuery, page: { offset: number; limit: number }): Promise<QueuePage> {
  return db.withPlatform(async (client) => {
    const byState = await counts(client, filter)
    const where = baseFilter(filter)
    // The waiting items, written as migration 015's partial index says them, so it serves the page in order.
    const waiting = filter.states.length === QUEUE_STATES.length && QUEUE_STATES.every((s) => filter.states.includes(s))
    where.add(waiting ? `t.status in ('submitted', 'in_review')` : `t.status = any(${where.param(filter.states)}::text[])`)
    let rows: QueueDbRow[]
    let total: number
    if (filter.risk === null) {
      total = filter.states.reduce((sum, s) => sum + byState[s], 0)
      const result = await client.query<QueueDbRow>(
        `select ${ROW_COLUMNS} from ${ROW_FROM} ${where.sql()} ${ORDER} offset ${where.param(page.offset)} limit ${where.param(page.limit)}`,
        where.params
      )
      rows = result.rows
    } else {
      const candidates = await client.query<{ id: string; current_version_id: string | null; content_hash: string | null }>(
        `select t.id, t.current_version_id, v.content_hash from public.templates t left join public.template_versions v on v.id = t.current_version_id ${where.sql()} ${ORDER}`,
        where.params
      )
      const levels = await riskLevels(client, versionsOf(candidates.rows))
      const atLeast = RISK_LEVELS.indexOf(filter.risk)
      const kept = candidates.rows.filter((c) => c.current_version_id && RISK_LEVELS.indexOf(levels.get(c.current_version_id) ?? 'low') >= atLeast)
      total = kept.length
      const ids = kept.slice(page.offset, page.offset + page.limit).map((c) => c.id)
      const result = await client.query<QueueDbRow>(`select ${ROW_COLUMNS} from ${ROW_FROM} where t.id = any($1::uuid[]) ${ORDER}`, [ids])
      rows = result.rows
    }
    const risk = await riskLevels(client, versionsOf(rows))
    const meta = await client.query<{ sla_hours: number; now: string; me: string; categories: string[] }>(
      `select extract(epoch from s.review_sla)::integer / 3600 as sla_hours, ${isoMillis('statement_timestamp()')} as now, session_user::text as me,
              array(${CATEGORIES}) as categories
         from public.moderation_settings s`
    )
    const { sla_hours, now, me, categories } = meta.rows[0]!
    return { rows: rows.map((r) => toRow(r, risk)), total, offset: page.offset, counts: byState, categories, slaHours: sla_hours, now, me }
  })
}
