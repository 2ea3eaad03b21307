import type { Locale } from '../../i18n/define'
import { formatUnit, numberFormat } from '../../i18n/format'

export { formatMoney } from '../../i18n/format'

/** How long something has waited, in the largest unit that fits ("3 d 4 h", "5 h", "12 min"). */
export function formatWaiting(fromIso: string, nowIso: string, locale: Locale): string {
  const minutes = Math.max(0, Math.floor((Date.parse(nowIso) - Date.parse(fromIso)) / 60_000))
  const unit = (value: number, u: 'day' | 'hour' | 'minute') => formatUnit(value, u, locale)
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  if (days > 0) return `${unit(days, 'day')} ${unit(hours, 'hour')}`
  if (hours > 0) return unit(hours, 'hour')
  return unit(minutes, 'minute')
}

export function hoursBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 3_600_000
}

export function formatRating(value: string, locale: Locale): string {
  return numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(value))
}

/** Single-letter shortcuts only when typing is not going on, no modifier is held and no dialog is open. */
export function isShortcutEvent(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return false
  const target = event.target
  if (target instanceof Element && target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"]), dialog[open]')) return false
  return document.querySelector('dialog[open]') === null
}
