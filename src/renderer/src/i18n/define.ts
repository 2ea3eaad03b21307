import { formatNumber } from './format'

export type Messages = Record<string, string>

/**
 * A catalog is English plus a translation typed against the English keys, so a missing or extra
 * key in Spanish is a compile error; test/renderer/i18n.test.ts also checks placeholders at run time.
 */
export interface Catalog<M extends Messages> {
  en: M
  es: { [K in keyof M]: string }
}

export function defineCatalog<const M extends Messages>(catalog: Catalog<M>): Catalog<M> {
  return catalog
}

export type Params = Record<string, string | number>

/**
 * The CLDR plural categories English and Spanish use. A message that depends on a count is written
 * as one key per category, i18next's JSON v4 convention (`'directory.count_one'`,
 * `'directory.count_other'`), and called by its base name with a numeric `count`; the category comes
 * from the platform's Intl.PluralRules. A category a language does not spell out (Spanish 'many',
 * for a million) falls back to `_other`.
 */
export const PLURAL_CATEGORIES = ['one', 'many', 'other'] as const
type PluralCategory = (typeof PLURAL_CATEGORIES)[number]

/** The keys a catalog can be asked for: each key, and each plural message by its base name. */
export type MessageKey<M extends Messages> = (keyof M & string) | (keyof M extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never)

/** `{name}` placeholders are replaced by params; an unknown placeholder stays visible so it gets noticed. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

const pluralRules = new Map<string, Intl.PluralRules>()

function pluralCategory(count: number, locale: Locale): PluralCategory {
  let rules = pluralRules.get(locale)
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)))
  const category = rules.select(count)
  return (PLURAL_CATEGORIES as readonly string[]).includes(category) ? (category as PluralCategory) : 'other'
}

/**
 * A message in `locale`: a plural message's form chosen by `params.count`, and numeric params
 * formatted for the locale, so callers pass raw numbers and never format them themselves.
 */
export function translate<M extends Messages>(catalog: Catalog<M>, locale: Locale, key: MessageKey<M>, params?: Params): string {
  const messages = catalog[locale] as Messages
  let template = messages[key]
  if (template === undefined) {
    const count = params?.count
    const category = typeof count === 'number' ? pluralCategory(count, locale) : 'other'
    template = messages[`${key}_${category}`] ?? messages[`${key}_other`] ?? key
  }
  if (!params) return template
  const formatted = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'number' ? formatNumber(value, locale) : value]))
  return interpolate(template, formatted)
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()
}

export const LOCALES = ['en', 'es'] as const
export type Locale = (typeof LOCALES)[number]
