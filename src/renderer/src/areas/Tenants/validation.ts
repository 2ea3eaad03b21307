import type { z } from 'zod'
import type { Locale } from '../../i18n/define'
import { parseLocaleInteger } from '../../i18n/numbers'
import type { Translate } from '../../i18n/useT'
import type { tenantsCatalog } from './messages'
import { BIDI_MESSAGE } from '../../../../shared/visible-text'

type T = Translate<(typeof tenantsCatalog)['en']>

/**
 * A whole-number field's text as the schema should see it, read in the operator's language
 * ("4.000" in Spanish is 4000): the number, or the text itself, which the schema then refuses.
 */
export function numberFromText(text: string, locale: Locale): number | string {
  const parsed = parseLocaleInteger(text, locale)
  return parsed.ok ? parsed.value : text.trim()
}

/**
 * What is wrong with whole-number fields' texts that the schema cannot say: a number written the
 * other language's way ("4.000" in English) is ambiguous, and said so with both readings.
 */
export function numberIssues(fields: Record<string, string>, locale: Locale, t: T): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, text] of Object.entries(fields)) {
    const parsed = parseLocaleInteger(text, locale)
    if (parsed.ok || parsed.problem === 'empty') continue
    out[field] = parsed.problem === 'ambiguous' ? t('validation.ambiguousNumber', { text: text.trim(), digits: text.replace(/\D/g, '') }) : t('validation.number')
  }
  return out
}

/**
 * Checks a draft with the procedure's own schema and words each problem in the operator's
 * language, keyed by dotted field path: the form and the server apply exactly the same rules.
 */
export function localizedIssues(schema: z.ZodType, draft: unknown, t: T, messageFor?: (issue: z.core.$ZodIssue) => string | undefined): Record<string, string> {
  const parsed = schema.safeParse(draft)
  if (parsed.success) return {}
  const out: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.')
    if (path in out) continue
    out[path] = messageFor?.(issue) ?? describe(issue, t)
  }
  return out
}

function describe(issue: z.core.$ZodIssue, t: T): string {
  switch (issue.code) {
    case 'invalid_type':
      // A fraction fails `int` (expected 'int'): that is "not a whole number", never "Required".
      return issue.expected === 'number' || issue.expected === 'int' ? t('validation.number') : t('validation.required')
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.tooShort', { min: Number(issue.minimum) })
      return t('validation.min', { min: Number(issue.minimum) })
    case 'too_big':
      return issue.origin === 'string' ? t('validation.tooLong', { max: Number(issue.maximum) }) : t('validation.max', { max: Number(issue.maximum) })
    case 'invalid_format':
      return issue.format === 'email' ? t('validation.email') : issue.format === 'url' ? t('validation.url') : t('validation.invalid')
    case 'custom':
      return issue.message === BIDI_MESSAGE ? t('validation.bidi') : t('validation.invalid')
    default:
      return t('validation.invalid')
  }
}
