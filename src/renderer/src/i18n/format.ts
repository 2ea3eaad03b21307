import type { Formatters } from 'intl-messageformat'
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
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
const pluralRules = new Map<string, Intl.PluralRules>()

/** The cached formatter for a locale and options; plain numbers keep at most two decimals. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = { maximumFractionDigits: 2 }): Intl.NumberFormat {
  const key = `${locale} ${JSON.stringify(options)}`
  let format = numberFormats.get(key)
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)))
  return format
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`
  let format = dateTimeFormats.get(key)
  if (!format) dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)))
  return format
}

/**
 * The formatters translate() hands to IntlMessageFormat, so a plural's `#` reads like every other
 * number on screen ("21.312", "0,88") instead of the library's own defaults.
 */
export const messageFormatters: Formatters = {
  getNumberFormat: (locales, options) => numberFormat(firstLocale(locales), options as Intl.NumberFormatOptions | undefined),
  getDateTimeFormat: (locales, options) => dateTimeFormat(firstLocale(locales), options ?? {}),
  getPluralRules: (locales, options) => {
    const key = `${firstLocale(locales)} ${options?.type ?? 'cardinal'}`
    let rules = pluralRules.get(key)
    if (!rules) pluralRules.set(key, (rules = new Intl.PluralRules(firstLocale(locales), options)))
    return rules
  }
}

/** translate() always passes one locale code; anything else is read as English. */
function firstLocale(locales: unknown): string {
  return typeof locales === 'string' ? locales : 'en'
}

export function formatNumber(value: number, locale: Locale): string {
  return numberFormat(locale).format(value)
}

/**
 * An exact decimal string ("1234.567890", a NUMERIC from PostgreSQL) as money in `currency`:
 * format() takes the string as an exact decimal (ECMA-402 Intl.NumberFormat v3), so no float rounding
 * creeps in; the cast only satisfies lib typings that lag behind.
 */
export function formatMoney(amount: string, currency: string, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, { style: 'currency', currency, ...options }).format(amount as unknown as number)
}

/** A value with a unit ("5 s", "3 min"), as `Intl.NumberFormat`'s unit style writes it. */
export function formatUnit(value: number, unit: string, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow', ...options }).format(value)
}

/** 0.88 → "88 %" in Spanish, "88%" in English. */
export function formatPercent(ratio: number, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0, ...options }).format(ratio)
}

export function formatDate(iso: string, locale: Locale): string {
  return dateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso))
}

/** A UTC day (YYYY-MM-DD, a rollup's or a chart's bucket; or the UTC day of an ISO moment) as the locale writes dates. */
export function formatDay(day: string, locale: Locale, dateStyle: 'medium' | 'long' = 'medium'): string {
  return dateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(new Date(day.length === 10 ? `${day}T00:00:00Z` : day))
}

/** The time of day of a moment ("14:05", "2:05 PM"). */
export function formatTime(iso: string, locale: Locale): string {
  return dateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(iso))
}

/** A moment, or "—" for none (an execution still running has no finish). */
export function formatDateTime(iso: string | null, locale: Locale): string {
  if (iso === null) return '—'
  return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}
