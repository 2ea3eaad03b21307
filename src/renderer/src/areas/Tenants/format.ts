import { translate, type Locale } from '../../i18n/define'
import { formatDateTime, formatNumber } from '../../i18n/format'
import { tenantsCatalog } from './messages'

type Key = keyof (typeof tenantsCatalog)['en']

/**
 * Plans, industries and session-context keys are data, but the demo's and the platform's known
 * ones are words the operator reads: those come from the catalog; anything else (a plan added
 * later, a custom context key) is shown as stored, or as words for a key, rather than hidden.
 */
function known(prefix: 'plan' | 'industry' | 'contextKey', value: string, fallback: string, locale: Locale): string {
  const key = `${prefix}.${value}`
  return Object.hasOwn(tenantsCatalog.en, key) ? translate(tenantsCatalog, locale, key as Key) : fallback
}

export const planLabel = (plan: string, locale: Locale): string => known('plan', plan, plan, locale)
export const industryLabel = (industry: string, locale: Locale): string => known('industry', industry, industry, locale)
export const contextKeyLabel = (key: string, locale: Locale): string => known('contextKey', key, humanizeKey(key), locale)

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** A JSON value from a session context or an audit row as one short, readable line in `locale`. */
export function readableValue(value: unknown, locale: Locale): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return ISO_MOMENT.test(value) && !Number.isNaN(Date.parse(value)) ? formatDateTime(value, locale) : value
  if (typeof value === 'number') return formatNumber(value, locale)
  if (typeof value === 'boolean') return translate(tenantsCatalog, locale, value ? 'value.yes' : 'value.no')
  if (Array.isArray(value)) return value.map((inner) => readableValue(inner, locale)).join(', ')
  return Object.entries(value as Record<string, unknown>)
    .map(([key, inner]) => `${humanizeKey(key)}: ${readableValue(inner, locale)}`)
    .join('; ')
}

/** camelCase and snake_case keys as words: "openTicket" → "Open ticket". */
export function humanizeKey(key: string): string {
  const words = key.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
