import type { Locale } from './define'

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1]
]

/** "5 minutes ago" / "hace 5 minutos": the largest unit that fits, so the status line stays short. */
export function formatRelative(thenIso: string, now: Date, locale: Locale): string {
  const seconds = Math.round((new Date(thenIso).getTime() - now.getTime()) / 1000)
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  if (Math.abs(seconds) < 45) return format.format(0, 'second')
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit)
  }
  return format.format(seconds, 'second')
}

/*
 * The console's one way to show numbers, dates and times: every screen passes raw numbers and ISO
 * times here (or as message params, which translate() formats), so "21.312" and "0,88" read the
 * same everywhere in Spanish, and a moment always looks like "2 dic 2026, 0:41".
 */
const numberFormats = new Map<string, Intl.NumberFormat>()

export function formatNumber(value: number, locale: Locale): string {
  let format = numberFormats.get(locale)
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })))
  return format.format(value)
}

/** 0.88 → "88 %" in Spanish, "88%" in English. */
export function formatPercent(ratio: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio)
}

export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso))
}

/** A UTC day (YYYY-MM-DD, a rollup's or a chart's bucket) as the locale writes dates. */
export function formatDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

/** A moment, or "—" for none (an execution still running has no finish). */
export function formatDateTime(iso: string | null, locale: Locale): string {
  if (iso === null) return '—'
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}
