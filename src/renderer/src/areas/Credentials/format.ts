import type { Locale } from '../../i18n/define'

const DAY_MS = 86_400_000

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: Date): number {
  return Math.floor((to.getTime() - Date.parse(from)) / DAY_MS)
}

export function formatRelativeDays(iso: string, now: Date, locale: Locale): string {
  const days = Math.round((Date.parse(iso) - now.getTime()) / DAY_MS)
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')
}
