import { Rng } from '../prng'
import { HOUR_MS, spreadOverHistory } from '../time'
import type { PlanId, TenantSeed, World } from '../world'
import type { TableLoad } from './types'

const UNIT_PRICE: Record<'executions' | 'ai_calls' | 'storage', number> = { executions: 0.002, ai_calls: 0.015, storage: 0.0001 }
const PLAN_VOLUME: Record<PlanId, number> = { starter: 1, professional: 2, business: 4, enterprise: 9 }

/** A tenant active at `at`: suspended and closed tenants stop consuming when their status changed. */
export function activeTenantAt(world: World, rng: Rng, at: Date): TenantSeed {
  let tenant = world.pickTenant(rng)
  for (let tries = 0; tenant.statusChangedAt && at > tenant.statusChangedAt && tries < 8; tries++) tenant = world.pickTenant(rng)
  return tenant
}

export function usageLoad(world: World): TableLoad {
  const { seed, anchor, profile } = world
  return {
    table: 'usage_records',
    planned: profile.usageRecords,
    *rows() {
      for (let i = 0; i < profile.usageRecords; i++) {
        const rng = new Rng(seed, 'usage', i)
        const recordedAt = spreadOverHistory(rng, anchor, profile.historyDays, i, profile.usageRecords)
        const tenant = activeTenantAt(world, rng, recordedAt)
        const type = rng.weighted([['executions', 45], ['ai_calls', 45], ['storage', 10]] as const)
        const volume = PLAN_VOLUME[tenant.plan]
        const quantity = type === 'storage' ? rng.int(20, 800) * volume : type === 'ai_calls' ? rng.int(5, 120) * volume : rng.int(1, 30) * volume
        const periodStart = new Date(Math.floor(recordedAt.getTime() / HOUR_MS) * HOUR_MS)
        yield {
          id: rng.uuid(),
          tenant_id: tenant.id,
          subscription_id: tenant.subscriptionId,
          usage_type: type,
          quantity,
          unit_price: tenant.plan === 'enterprise' ? UNIT_PRICE[type] * 0.8 : UNIT_PRICE[type],
          metadata: type === 'ai_calls' ? { model: rng.pick(['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']), source: 'agent' } : { source: type === 'storage' ? 'snapshot' : 'n8n' },
          period_start: periodStart,
          period_end: new Date(periodStart.getTime() + HOUR_MS),
          recorded_at: recordedAt,
          created_at: recordedAt,
          updated_at: recordedAt
        }
      }
    }
  }
}
