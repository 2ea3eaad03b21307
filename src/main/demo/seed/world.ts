import { benchCompany, DEMO_COMPANIES, slugify, type Company } from './pools/companies'
import { person } from './pools/people'
import { WORKFLOW_BLUEPRINTS, type WorkflowBlueprint } from './pools/workflows'
import { Rng } from './prng'
import type { ScaleProfile, SeedScale } from './scale'
import { demoOperators, type DemoOperator } from './operators'
import { billingCurrency, priceBook, type PriceBookEntry } from './prices'
import { DAY_MS, daysBefore } from './time'

export type PlanId = 'starter' | 'professional' | 'business' | 'enterprise'
export const PLANS: readonly PlanId[] = ['starter', 'professional', 'business', 'enterprise']

export interface UserSeed {
  id: string
  email: string
  fullName: string
  role: 'owner' | 'admin' | 'agent' | 'user'
  createdAt: Date
}

export interface WorkflowSeed {
  id: string
  name: string
  blueprint: WorkflowBlueprint
  authorId: string
  createdAt: Date
}

export interface TenantSeed {
  index: number
  id: string
  slug: string
  company: Company
  plan: PlanId
  status: 'active' | 'suspended' | 'closed'
  statusReason: string | null
  statusChangedAt: Date | null
  createdAt: Date
  users: UserSeed[]
  workflows: WorkflowSeed[]
  subscriptionId: string
  /** ISO 4217 code of the tenant's price-book entry: its usage and invoices are in it. */
  currency: string
  limitId: string
  domainIds: string[]
  credentialIds: string[]
}

/** Everything the row generators share: small enough to keep in memory at bench scale too. */
export interface World {
  scale: SeedScale
  seed: number
  profile: ScaleProfile
  /** "Now" of the data set: history runs back from here, expiries run forward. */
  anchor: Date
  rolePrefix: string
  operators: DemoOperator[]
  tenants: TenantSeed[]
  priceBook: PriceBookEntry[]
  /** Picks a tenant in proportion to its activity (bigger plans run more). */
  pickTenant(rng: Rng): TenantSeed
}

const PLAN_WEIGHT: Record<PlanId, number> = { starter: 1, professional: 2, business: 3.5, enterprise: 6 }

const SUSPENSION_REASONS = [
  'Impago: tres intentos de cobro fallidos en Stripe',
  'Abuse report: bulk WhatsApp messages to numbers without opt-in',
  'Solicitud del cliente: pausa temporal por reforma del local'
]

function planFor(rng: Rng, company: Company): PlanId {
  const bySize: Record<Company['size'], readonly (readonly [PlanId, number])[]> = {
    small: [['starter', 6], ['professional', 3], ['business', 1]],
    medium: [['professional', 4], ['business', 4], ['enterprise', 1]],
    large: [['business', 3], ['enterprise', 5]]
  }
  return rng.weighted(bySize[company.size])
}

function buildTenant(seed: number, profile: ScaleProfile, anchor: Date, index: number, company: Company): TenantSeed {
  const rng = new Rng(seed, 'tenant', index)
  const id = rng.uuid()
  const createdAt = daysBefore(anchor, profile.historyDays + rng.int(10, 700) + rng.next())
  // Every 9th tenant is suspended and every 23rd closed, so each screen state exists in the demo.
  const status = index % 23 === 22 ? 'closed' : index % 9 === 4 ? 'suspended' : 'active'
  const taken = new Set<string>()
  const userCount = rng.int(...profile.usersPerTenant)
  const users: UserSeed[] = []
  for (let u = 0; u < userCount; u++) {
    const p = person(rng, company.language, company.domain, taken)
    users.push({
      id: rng.uuid(),
      email: p.email,
      fullName: p.fullName,
      role: u === 0 ? 'owner' : u === 1 ? 'admin' : rng.chance(0.6) ? 'agent' : 'user',
      createdAt: new Date(createdAt.getTime() + u * rng.int(1, 20) * DAY_MS)
    })
  }
  const blueprints = rng.sample(WORKFLOW_BLUEPRINTS, rng.int(...profile.workflowsPerTenant))
  const workflows = blueprints.map((blueprint) => ({
    id: rng.uuid(),
    name: blueprint.name[company.language],
    blueprint,
    authorId: rng.pick(users.slice(0, 2)).id,
    createdAt: new Date(createdAt.getTime() + rng.int(1, 30) * DAY_MS)
  }))
  return {
    index,
    id,
    slug: slugify(company.name).slice(0, 75),
    company,
    plan: planFor(rng, company),
    status,
    statusReason:
      status === 'active' ? null
      : status === 'closed' ? (company.language === 'es' ? 'Baja solicitada por el cliente' : 'Account closed at the customer’s request')
      : SUSPENSION_REASONS[index % SUSPENSION_REASONS.length]!,
    statusChangedAt: status === 'active' ? null : daysBefore(anchor, rng.int(2, 40) + rng.next()),
    createdAt,
    users,
    workflows,
    subscriptionId: rng.uuid(),
    currency: billingCurrency(company.country),
    limitId: rng.uuid(),
    domainIds: [rng.uuid(), rng.uuid()],
    credentialIds: [rng.uuid(), rng.uuid(), rng.uuid()]
  }
}

export function buildWorld(scale: SeedScale, profile: ScaleProfile, seed: number, anchor: Date, rolePrefix: string): World {
  const tenants: TenantSeed[] = []
  for (let i = 0; i < profile.tenants; i++) {
    const company = scale === 'demo' && i < DEMO_COMPANIES.length ? DEMO_COMPANIES[i]! : benchCompany(i)
    tenants.push(buildTenant(seed, profile, anchor, i, company))
  }
  // Closed tenants stop generating activity; suspended ones had activity until suspension.
  const weights = tenants.map((t) => (t.status === 'closed' ? 0.05 : PLAN_WEIGHT[t.plan] * new Rng(seed, 'weight', t.index).float(0.6, 1.4, 3)))
  const cumulative = new Float64Array(weights.length)
  let total = 0
  weights.forEach((w, i) => (cumulative[i] = total += w))

  return {
    scale,
    seed,
    profile,
    anchor,
    rolePrefix,
    operators: demoOperators(rolePrefix),
    tenants,
    priceBook: priceBook(seed, anchor, PLANS),
    pickTenant(rng: Rng): TenantSeed {
      const r = rng.next() * total
      let lo = 0
      let hi = cumulative.length - 1
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (cumulative[mid]! > r) hi = mid
        else lo = mid + 1
      }
      return tenants[lo]!
    }
  }
}
