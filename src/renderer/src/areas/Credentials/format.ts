import type { Locale } from '../../i18n/define'

const DAY_MS = 86_400_000

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: Date): number {
  return Math.floor((to.getTime() - Date.parse(from)) / DAY_MS)
}

export function formatDateTime(iso: string | null, locale: Locale): string {
  return iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : ''
}

export function formatDate(iso: string | null, locale: Locale): string {
  return iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)) : ''
}

export function formatRelativeDays(iso: string, now: Date, locale: Locale): string {
  const days = Math.round((Date.parse(iso) - now.getTime()) / DAY_MS)
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')
}
