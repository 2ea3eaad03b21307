import { Rng } from './prng'
import { daysBefore } from './time'
import type { PlanId } from './world'

/** Currencies the price book lists, with their rate against the US dollar reference prices. */
export const PRICE_BOOK_CURRENCIES: readonly (readonly [currency: string, rate: number])[] = [['USD', 1], ['EUR', 0.92], ['GBP', 0.79], ['MXN', 17.5]]
const MONTHLY_USD: Record<PlanId, number> = { starter: 29, professional: 79, business: 199, enterprise: 899 }
/** Reference per-unit prices in US dollars; enterprise entries get a volume discount. */
const UNIT_USD: Record<UsageType, number> = { executions: 0.002, ai_calls: 0.015, storage: 0.0001 }
const ENTERPRISE_DISCOUNT = 0.8

export type UsageType = 'executions' | 'ai_calls' | 'storage'
export const USAGE_TYPES: readonly UsageType[] = ['executions', 'ai_calls', 'storage']

/** A tenant is billed in its country's currency when the price book lists it, else in US dollars. */
export function billingCurrency(country: string): string {
  const local = ({ ES: 'EUR', IE: 'EUR', MX: 'MXN', GB: 'GBP' } as Record<string, string>)[country]
  return local ?? 'USD'
}

export interface PriceBookEntry {
  id: string
  plan: PlanId
  currency: string
  /** Decimal strings (numeric in the database): no float reaches a money column. */
  amount: string
  unitPrices: Record<UsageType, { id: string; price: string }>
  stripePriceId: string
  createdAt: Date
}

/** One entry per plan and currency, derived from the seed alone (the world keeps it for every table). */
export function priceBook(seed: number, anchor: Date, plans: readonly PlanId[]): PriceBookEntry[] {
  const rng = new Rng(seed, 'price-book')
  return plans.flatMap((plan) =>
    PRICE_BOOK_CURRENCIES.map(([currency, rate]) => {
      const factor = rate * (plan === 'enterprise' ? ENTERPRISE_DISCOUNT : 1)
      return {
        id: rng.uuid(),
        plan,
        currency,
        amount: (Math.round(MONTHLY_USD[plan] * rate) - 0.01).toFixed(2),
        unitPrices: Object.fromEntries(USAGE_TYPES.map((t) => [t, { id: rng.uuid(), price: (UNIT_USD[t] * factor).toFixed(6) }])) as PriceBookEntry['unitPrices'],
        stripePriceId: `price_${rng.hex(12)}`,
        createdAt: daysBefore(anchor, rng.int(200, 500))
      }
    })
  )
}

export function priceBookEntry(entries: PriceBookEntry[], plan: PlanId, currency: string): PriceBookEntry {
  const entry = entries.find((e) => e.plan === plan && e.currency === currency)
  if (!entry) throw new Error(`seed: no price-book entry for ${plan} in ${currency}`)
  return entry
}
