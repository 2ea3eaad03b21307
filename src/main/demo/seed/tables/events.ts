import { Rng } from '../prng'
import { spreadOverHistory } from '../time'
import type { World } from '../world'
import { activeTenantAt } from './usage'
import type { Row, TableLoad } from './types'

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'WhatsApp/2.24.12 A'
]

/** Documentation address ranges (RFC 5737): realistic-looking, never someone's real address. */
function documentationIp(rng: Rng): string {
  return `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`
}

/** A purchase event repeats its purchase's amount and currency (never a currency of its own). */
function purchaseEvent(purchase: Row) {
  return {
    data: { purchaseId: purchase.id, templateId: purchase.template_id, amount: Number(purchase.price_paid).toFixed(2), currency: purchase.currency },
    tenantId: purchase.tenant_id as string,
    userId: purchase.buyer_user_id as string
  }
}

export function eventsLoad(world: World, purchases: Row[]): TableLoad {
  const { seed, anchor, profile } = world
  const succeeded = purchases.filter((p) => p.status === 'succeeded')
  return {
    table: 'events',
    planned: profile.events,
    *rows() {
      for (let i = 0; i < profile.events; i++) {
        const rng = new Rng(seed, 'event', i)
        const at = spreadOverHistory(rng, anchor, profile.historyDays, i, profile.events)
        const tenant = activeTenantAt(world, rng, at)
        const drawn = rng.weighted([['workflow_execution', 50], ['conversation_started', 25], ['user_login', 15], ['agent_handoff', 7], ['template_purchase', 3]] as const)
        const type = drawn === 'template_purchase' && succeeded.length === 0 ? 'conversation_started' : drawn
        const purchase = type === 'template_purchase' ? purchaseEvent(rng.pick(succeeded)) : null
        const user = type === 'user_login' ? rng.pick(tenant.users) : null
        const data =
          type === 'workflow_execution' ? { workflowId: rng.pick(tenant.workflows).id, status: rng.weighted([['success', 9], ['error', 1]] as const), executionTime: rng.int(200, 12000) }
          : purchase ? purchase.data
          : type === 'user_login' ? { method: rng.pick(['password', 'google', 'magic_link']) }
          : type === 'agent_handoff' ? { reason: rng.pick(['low_confidence', 'user_request', 'negative_sentiment']) }
          : { channel: rng.pick(['whatsapp', 'web', 'instagram']) }
        yield {
          id: rng.uuid(),
          tenant_id: purchase?.tenantId ?? tenant.id,
          user_id: purchase?.userId ?? user?.id ?? null,
          event_type: type,
          event_data: data,
          session_id: type === 'conversation_started' || type === 'agent_handoff' ? `sess_${rng.hex(12)}` : null,
          ip_address: documentationIp(rng),
          user_agent: rng.pick(USER_AGENTS),
          occurred_at: at,
          created_at: at
        }
      }
    }
  }
}
