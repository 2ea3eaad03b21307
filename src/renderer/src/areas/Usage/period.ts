import type { Period } from '../../../../shared/rpc/areas/usage'

export const PRESETS = ['thisCycle', 'lastCycle', 'last7', 'last30', 'last90', 'custom'] as const
export type Preset = (typeof PRESETS)[number]

const DAY_MS = 86_400_000
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * The platform's periods in UTC days. Across every tenant a billing cycle is the calendar month
 * (each tenant's own cycle is on its usage page); the rolling presets end today.
 */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, now = Date.now()): Period {
  const today = day(now)
  const date = new Date(now)
  switch (preset) {
    case 'thisCycle':
      return { from: `${today.slice(0, 8)}01`, to: today }
    case 'lastCycle':
      return { from: day(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1)), to: day(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 0)) }
    case 'last7':
      return { from: day(now - 6 * DAY_MS), to: today }
    case 'last30':
      return { from: day(now - 29 * DAY_MS), to: today }
    case 'last90':
      return { from: day(now - 89 * DAY_MS), to: today }
  }
}
