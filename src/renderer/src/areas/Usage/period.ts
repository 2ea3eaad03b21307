import { PERIOD_MESSAGES, periodSchema, type Period } from '../../../../shared/rpc/areas/usage'

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

export interface PeriodChoice {
  preset: Preset
  custom: Period
}

/** The catalog's wording of each of the schema's messages (the schema words them in English only). */
const ISSUE_KEYS = {
  [PERIOD_MESSAGES.format]: 'period.issue.format',
  [PERIOD_MESSAGES.calendar]: 'period.issue.calendar',
  [PERIOD_MESSAGES.reversed]: 'period.issue.reversed',
  [PERIOD_MESSAGES.tooLong]: 'period.issue.tooLong'
} as const
export type PeriodIssue = (typeof ISSUE_KEYS)[keyof typeof ISSUE_KEYS]

/** The chosen period, or why a custom one is refused (the server's own schema decides). */
export function resolvePeriod(choice: PeriodChoice): { period: Period | null; error: PeriodIssue | null } {
  if (choice.preset !== 'custom') return { period: presetPeriod(choice.preset), error: null }
  const parsed = periodSchema.safeParse(choice.custom)
  if (parsed.success) return { period: parsed.data, error: null }
  const message = parsed.error.issues[0]?.message ?? ''
  // The form sends two strings, so no other issue can come first (an unknown key or a non-string).
  return { period: null, error: ISSUE_KEYS[message as keyof typeof ISSUE_KEYS] ?? 'period.issue.format' }
}
