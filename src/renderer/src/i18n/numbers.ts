import { frameCatalog } from './catalog'
import { translate, type Locale } from './define'
import { numberFormat } from './format'

export type ParsedInteger = { ok: true; value: number } | { ok: false; problem: 'empty' | 'notNumber' | 'fraction' | 'ambiguous' }

function separators(locale: Locale): { group: string; decimal: string } {
  const parts = numberFormat(locale, { useGrouping: true }).formatToParts(1234567.5)
  return { group: parts.find((p) => p.type === 'group')?.value ?? ',', decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.' }
}

/** Spaces of any width are never part of a number typed by a person (and are some locales' group separator). */
const SPACES = /[\s\u00a0\u202f]/g

/**
 * A whole number as a person writes it in `locale`: "4.000" in Spanish and "4,000" in English are
 * four thousand. What one language reads as a thousands separator the other reads as a decimal
 * point, so a number that only makes sense in the other language ("4.000" in English: four, or four
 * thousand?) is refused as ambiguous rather than guessed; a real fraction ("1.5") is not a whole
 * number, and says so.
 */
export function parseLocaleInteger(text: string, locale: Locale): ParsedInteger {
  const compact = text.replace(SPACES, '')
  if (compact === '') return { ok: false, problem: 'empty' }
  const { group, decimal } = separators(locale)
  const match = /^(-?)(\d+)([.,]\d+)*$/.exec(compact)
  if (!match) return { ok: false, problem: 'notNumber' }
  const sign = match[1] === '-' ? -1 : 1
  const body = compact.slice(match[1]!.length)
  // Split on the locale's decimal separator: at most one, and only after the grouped digits.
  const decimalAt = body.lastIndexOf(decimal)
  const hasDecimal = decimalAt !== -1 && body.indexOf(decimal) === decimalAt && !body.slice(decimalAt + 1).includes(group)
  const whole = hasDecimal ? body.slice(0, decimalAt) : body
  const fraction = hasDecimal ? body.slice(decimalAt + 1) : ''
  if (whole.includes(decimal)) return { ok: false, problem: 'notNumber' }
  const groups = whole.split(group)
  // Grouped digits: 1 to 3 first, then groups of exactly 3 ("4.000", "1.234.567").
  if (groups.length > 1 && !(groups[0]!.length >= 1 && groups[0]!.length <= 3 && groups.slice(1).every((g) => g.length === 3))) return { ok: false, problem: 'notNumber' }
  if (fraction !== '') {
    // "4.000" where '.' is the decimal point: written like the other language's four thousand.
    if (groups.length === 1 && fraction.length === 3) return { ok: false, problem: 'ambiguous' }
    if (!/^0+$/.test(fraction)) return { ok: false, problem: 'fraction' }
  }
  const value = sign * Number(groups.join(''))
  return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, problem: 'notNumber' }
}

/**
 * Every whole-number field in the console reads its text through this: the number, or NaN, which
 * every number schema refuses, so the form's own rule (its range message) applies.
 */
export function wholeNumberOf(text: string, locale: Locale): number {
  const parsed = parseLocaleInteger(text, locale)
  return parsed.ok ? parsed.value : Number.NaN
}

/**
 * Why a whole-number field's text is not a whole number, in the operator's language: a fraction,
 * or the other language's thousands ("4.000" in English), said with both readings. Undefined when
 * it is one, or empty (the form says what an empty field means).
 */
export function wholeNumberProblem(text: string, locale: Locale): string | undefined {
  const parsed = parseLocaleInteger(text, locale)
  if (parsed.ok || parsed.problem === 'empty') return undefined
  return parsed.problem === 'ambiguous'
    ? translate(frameCatalog, locale, 'number.ambiguous', { text: text.trim(), digits: text.replace(/\D/g, '') })
    : translate(frameCatalog, locale, 'number.notWhole')
}

/** wholeNumberProblem for each field of a form, keyed by field: only the fields with one. */
export function wholeNumberIssues(fields: Record<string, string>, locale: Locale): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, text] of Object.entries(fields)) {
    const problem = wholeNumberProblem(text, locale)
    if (problem) out[field] = problem
  }
  return out
}
