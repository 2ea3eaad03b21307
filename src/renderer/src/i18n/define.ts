export const LOCALES = ['en', 'es'] as const
export type Locale = (typeof LOCALES)[number]

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

/** `{name}` placeholders are replaced by params; an unknown placeholder stays visible so it gets noticed. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function translate<M extends Messages>(catalog: Catalog<M>, locale: Locale, key: keyof M & string, params?: Params): string {
  return interpolate(catalog[locale][key] as string, params)
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()
}
