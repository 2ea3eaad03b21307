import type { z } from 'zod'
import type { Translate } from '../../i18n/useT'
import type { tenantsCatalog } from './messages'
import { BIDI_MESSAGE } from '../../../../shared/visible-text'

type T = Translate<(typeof tenantsCatalog)['en']>

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
