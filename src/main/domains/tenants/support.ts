import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type { ConversationMatch, SessionContext, SupportSession, Transcript, TranscriptMessage } from '../../../shared/rpc/areas/tenants'
import type { Database } from '../../db/types'
import { requireVisibleTenant } from './access'
import { lowConfidenceThreshold } from './thresholds'
import { iso, num } from './values'

interface SessionRow {
  id: string
  session_key: string
  user_id: string | null
  channel: string | null
  device: string | null
  last_activity: Date
  expires_at: Date | null
  expired: boolean
  context: unknown
  conversation_count: string
}

const SESSION_SELECT = `select s.id, s.session_key, s.user_id, s.channel, s.device, s.last_activity, s.expires_at,
  coalesce(s.expires_at <= now(), false) as expired, s.context,
  (select count(*) from conversations c where c.tenant_id = s.tenant_id and c.session_id = s.id) as conversation_count
  from sessions s`

function objectAt(value: unknown, key: string): Record<string, unknown> {
  const inner = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {}
}

/** The three parts of seed 000's memory structure; anything else in the JSON is not shown. */
export function sessionContext(raw: unknown): SessionContext {
  return { userPreferences: objectAt(raw, 'userPreferences'), businessContext: objectAt(raw, 'businessContext'), sessionMetadata: objectAt(raw, 'sessionMetadata') }
}

function toSession(row: SessionRow): SupportSession {
  return {
    id: row.id,
    sessionKey: row.session_key,
    userId: row.user_id,
    channel: row.channel,
    device: row.device,
    lastActivity: iso(row.last_activity),
    expiresAt: iso(row.expires_at),
    expired: row.expired,
    conversationCount: num(row.conversation_count),
    context: sessionContext(row.context)
  }
}

interface MessageRow {
  id: string
  session_id: string | null
  created_at: Date
  user_id: string | null
  message: string | null
  response: string | null
  agent_name: string | null
  sentiment: TranscriptMessage['sentiment']
  confidence_score: string | null
}

const MESSAGE_COLUMNS = 'id, session_id, created_at, user_id, message, response, agent_name, sentiment, confidence_score'

function toMessage(row: MessageRow, lowBelow: number): ConversationMatch {
  const confidence = num(row.confidence_score)
  return {
    id: row.id,
    sessionId: row.session_id,
    createdAt: iso(row.created_at),
    userId: row.user_id,
    message: row.message,
    response: row.response,
    agentName: row.agent_name,
    sentiment: row.sentiment,
    confidence,
    lowConfidence: confidence !== null && confidence < lowBelow
  }
}

export async function listSessions(db: Database, tenantId: string, page: { offset: number; limit: number }): Promise<{ sessions: SupportSession[]; total: number }> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const { rows } = await client.query<SessionRow>(`${SESSION_SELECT} where s.tenant_id = $1 order by s.last_activity desc, s.id offset $2 limit $3`, [tenantId, page.offset, page.limit])
    const total = await client.query<{ n: string }>('select count(*) as n from sessions where tenant_id = $1', [tenantId])
    return { sessions: rows.map(toSession), total: num(total.rows[0]!.n) }
  })
}

async function sessionById(client: PoolClient, tenantId: string, sessionId: string): Promise<SupportSession> {
  const { rows } = await client.query<SessionRow>(`${SESSION_SELECT} where s.tenant_id = $1 and s.id = $2`, [tenantId, sessionId])
  if (!rows[0]) throw new RpcError('NOT_FOUND', 'No such session for this tenant.')
  return toSession(rows[0])
}

export async function transcript(db: Database, tenantId: string, sessionId: string): Promise<Transcript> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const session = await sessionById(client, tenantId, sessionId)
    const lowBelow = await lowConfidenceThreshold(client, tenantId)
    const { rows } = await client.query<MessageRow>(`select ${MESSAGE_COLUMNS} from conversations where tenant_id = $1 and session_id = $2 order by created_at, id`, [tenantId, sessionId])
    return { session, messages: rows.map((r) => toMessage(r, lowBelow)), lowConfidenceBelow: lowBelow }
  })
}

export async function searchConversations(db: Database, tenantId: string, query: string, limit: number): Promise<{ matches: ConversationMatch[]; lowConfidenceBelow: number }> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const lowBelow = await lowConfidenceThreshold(client, tenantId)
    const { rows } = await client.query<MessageRow>(
      `select ${MESSAGE_COLUMNS} from conversations
        where tenant_id = $1 and (message ilike app.like_pattern($2) or response ilike app.like_pattern($2) or agent_name ilike app.like_pattern($2))
        order by created_at desc, id limit $3`,
      [tenantId, query, limit]
    )
    return { matches: rows.map((r) => toMessage(r, lowBelow)), lowConfidenceBelow: lowBelow }
  })
}
