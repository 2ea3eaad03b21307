import { IntlMessageFormat } from 'intl-messageformat'
import { TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { formatNumber, messageFormatters } from './format'

export type Messages = Record<string, string>

/**
 * A catalog is English plus a translation typed against the English keys, so a missing or extra
 * key in Spanish is a compile error; test/renderer/i18n.test.ts also checks, at run time, that every
 * message parses as ICU and uses the same arguments in every language.
 */
export interface Catalog<M extends Messages> {
  en: M
  es: { [K in keyof M]: string }
}

export function defineCatalog<const M extends Messages>(catalog: Catalog<M>): Catalog<M> {
  return catalog
}

export type Params = Record<string, string | number>

/*
 * Every message is an ICU MessageFormat string formatted by FormatJS's intl-messageformat (it
 * interprets a parsed AST, no eval, so the renderer's CSP holds). A message that depends on a count
 * is one key with an ICU plural: `'{count, plural, one {# tenant} other {# tenants}}'`; `#` is the
 * count formatted for the locale. `<` is plain text (tags are off), and `'` is literal unless it
 * starts an ICU quote (`'{'`), so "tenant's" renders as written.
 */
interface Compiled {
  format: IntlMessageFormat
  /** Arguments used as plain `{name}`: a number there is formatted for the locale before it is inserted. */
  plain: Set<string>
  /** Arguments a plural counts: they must arrive as numbers, a preformatted "1.234" would pick the wrong form. */
  counted: string[]
}

const compiled = new WeakMap<Messages, Map<string, Compiled>>()

function compile(messages: Messages, key: string, template: string, locale: Locale): Compiled {
  let byKey = compiled.get(messages)
  if (!byKey) compiled.set(messages, (byKey = new Map()))
  let entry = byKey.get(key)
  if (!entry) {
    const format = new IntlMessageFormat(template, locale, undefined, { formatters: messageFormatters, ignoreTag: true })
    entry = { format, plain: new Set(argumentsOf(format.getAst(), TYPE.argument)), counted: argumentsOf(format.getAst(), TYPE.plural) }
    byKey.set(key, entry)
  }
  return entry
}

/**
 * A message in `locale`, with numeric params formatted for the locale, so callers pass raw numbers
 * and never format them themselves. A message missing a param, or given a plural's count as text,
 * shows its source text, so the mistake is noticed instead of breaking the screen or reading wrong.
 */
export function translate<M extends Messages>(catalog: Catalog<M>, locale: Locale, key: keyof M & string, params?: Params): string {
  const messages = catalog[locale] as Messages
  const template = messages[key]
  if (template === undefined) return key
  const { format, plain, counted } = compile(messages, key, template, locale)
  if (counted.some((name) => typeof params?.[name] !== 'number')) return template
  const values = params && Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'number' && plain.has(name) ? formatNumber(value, locale) : value]))
  try {
    return String(format.format(values))
  } catch {
    return template
  }
}

/** The argument names a parsed message uses (of one element type, or all), sorted, without repeats. */
export function argumentsOf(ast: MessageFormatElement[], only?: TYPE): string[] {
  const names = new Set<string>()
  const walk = (elements: MessageFormatElement[]): void => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue
      if (element.type === TYPE.tag) {
        walk(element.children)
        continue
      }
      if (only === undefined || element.type === only) names.add(element.value)
      if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) walk(option.value)
    }
  }
  walk(ast)
  return [...names].sort()
}

export const LOCALES = ['en', 'es'] as const
export type Locale = (typeof LOCALES)[number]
