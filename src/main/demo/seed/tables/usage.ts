import { Rng } from '../prng'
import type { UsageType } from '../prices'
import { SCALES, type ScaleProfile } from '../scale'
import { DAY_MS, HOUR_MS, spreadOverHistory } from '../time'
import type { PlanId, TenantSeed, World } from '../world'
import { executionPlan } from './executions'
import type { Row, TableLoad } from './types'

const PLAN_VOLUME: Record<PlanId, number> = { starter: 1, professional: 2, business: 4, enterprise: 9 }

/** Agent-call and storage records per tenant and day (the rest of the records follow executions). */
function meteredDensity(profile: ScaleProfile): number {
  return (profile.usageRecords - Math.min(profile.executions, profile.usageRecords)) / (profile.tenants * profile.historyDays)
}

/** A tenant active at `at`: suspended and closed tenants stop consuming when their status changed. */
export function activeTenantAt(world: World, rng: Rng, at: Date): TenantSeed {
  let tenant = world.pickTenant(rng)
  for (let tries = 0; tenant.statusChangedAt && at > tenant.statusChangedAt && tries < 8; tries++) tenant = world.pickTenant(rng)
  return tenant
}

/** A record the screens must find: a day far above the tenant's own median, or usage no subscription covers. */
export interface PlantedUsage {
  kind: 'anomaly' | 'unbilled'
  tenant: TenantSeed
  type: UsageType
  recordedAt: Date
  quantity: number
}

/**
 * A few active tenants have one day of agent calls about eighty times their usual day (the
 * anomaly screen's robust score must flag it), and two records name no subscription (the
 * reconciliation screen lists them).
 */
export function plantedUsage(world: World): PlantedUsage[] {
  const active = world.tenants.filter((t) => t.status === 'active')
  const noon = Math.floor(world.anchor.getTime() / DAY_MS) * DAY_MS + 12 * HOUR_MS
  const anomalies = active.filter((t) => t.index % 7 === 3).slice(0, 4).map((tenant, k): PlantedUsage => ({
    kind: 'anomaly', tenant, type: 'ai_calls', recordedAt: new Date(noon - (6 + 4 * k) * DAY_MS), quantity: 5000 * PLAN_VOLUME[tenant.plan]
  }))
  const unbilled = active.slice(0, 2).map((tenant, k): PlantedUsage => ({
    kind: 'unbilled', tenant, type: 'executions', recordedAt: new Date(noon - (3 + k) * DAY_MS), quantity: 1
  }))
  return [...anomalies, ...unbilled]
}

function usageRow(rng: Rng, tenant: TenantSeed, world: World, type: UsageType, quantity: number, recordedAt: Date, billed = true): Row {
  const entry = world.priceBook.find((e) => e.plan === tenant.plan && e.currency === tenant.currency)!
  const periodStart = new Date(Math.floor(recordedAt.getTime() / HOUR_MS) * HOUR_MS)
  return {
    id: rng.uuid(),
    tenant_id: tenant.id,
    subscription_id: billed ? tenant.subscriptionId : null,
    usage_type: type,
    quantity,
    unit_price: entry.unitPrices[type].price,
    currency: tenant.currency,
    metadata: type === 'ai_calls' ? { model: rng.pick(['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']), source: 'agent' } : { source: type === 'storage' ? 'snapshot' : 'n8n' },
    period_start: periodStart,
    period_end: new Date(periodStart.getTime() + HOUR_MS),
    recorded_at: recordedAt,
    created_at: recordedAt,
    updated_at: recordedAt
  }
}

/**
 * Usage follows the activity: one 'executions' record per workflow execution (its tenant, its
 * start), then agent calls and storage snapshots over the history, then the planted records.
 * Prices are the tenant's price-book entry's, in its currency.
 */
export function usageLoad(world: World): TableLoad {
  const { seed, anchor, profile } = world
  const planted = plantedUsage(world)
  const executions = Math.min(profile.executions, profile.usageRecords - planted.length)
  const metered = profile.usageRecords - executions - planted.length
  // Bench packs about ten times more agent-call records into a tenant's day than the demo: each
  // carries less, so a day's calls against the tenant's limit look the same at both scales.
  const dilution = meteredDensity(SCALES.demo) / meteredDensity(profile)
  return {
    table: 'usage_records',
    planned: profile.usageRecords,
    *rows() {
      for (let i = 0; i < executions; i++) {
        const run = executionPlan(world, i)
        yield usageRow(new Rng(seed, 'usage-execution', i), run.tenant, world, 'executions', 1, run.startedAt)
      }
      for (let i = 0; i < metered; i++) {
        const rng = new Rng(seed, 'usage', i)
        const recordedAt = spreadOverHistory(rng, anchor, profile.historyDays, i, metered)
        const tenant = activeTenantAt(world, rng, recordedAt)
        const type = rng.weighted([['ai_calls', 80], ['storage', 20]] as const)
        const volume = PLAN_VOLUME[tenant.plan]
        // Storage is a snapshot of the tenant's size: it does not thin out with more records.
        const quantity = type === 'storage' ? rng.int(20, 800) * volume : Math.max(1, Math.round(rng.int(5, 120) * volume * dilution))
        yield usageRow(rng, tenant, world, type, quantity, recordedAt)
      }
      for (const [i, p] of planted.entries()) {
        yield usageRow(new Rng(seed, 'usage-planted', i), p.tenant, world, p.type, p.quantity, p.recordedAt, p.kind !== 'unbilled')
      }
    }
  }
}
