import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLocaleInteger, wholeNumberIssues, wholeNumberOf, wholeNumberProblem } from '../../src/renderer/src/i18n/numbers'
import { localizedIssues } from '../../src/renderer/src/areas/Tenants/validation'
import { tenantsCatalog } from '../../src/renderer/src/areas/Tenants/messages'
import { limitsSchema } from '../../src/shared/rpc/areas/tenants'
import { translate, type Locale } from '../../src/renderer/src/i18n/define'

/* Issue 15: number inputs parse the chosen language, or refuse what is ambiguous. */
describe('whole numbers as people write them', () => {
  it('reads thousands separators of the chosen language', () => {
    expect(parseLocaleInteger('4.000', 'es')).toEqual({ ok: true, value: 4000 })
    expect(parseLocaleInteger('4,000', 'en')).toEqual({ ok: true, value: 4000 })
    expect(parseLocaleInteger('1.234.567', 'es')).toEqual({ ok: true, value: 1234567 })
    expect(parseLocaleInteger(' 4000 ', 'en')).toEqual({ ok: true, value: 4000 })
    expect(parseLocaleInteger('4 000', 'es')).toEqual({ ok: true, value: 4000 })
    expect(parseLocaleInteger('4,0', 'es')).toEqual({ ok: true, value: 4 })
  })

  it('refuses the other language\'s thousands as ambiguous, a fraction as not whole, and a badly grouped number', () => {
    expect(parseLocaleInteger('4.000', 'en')).toEqual({ ok: false, problem: 'ambiguous' })
    expect(parseLocaleInteger('4,000', 'es')).toEqual({ ok: false, problem: 'ambiguous' })
    expect(parseLocaleInteger('1.5', 'en')).toEqual({ ok: false, problem: 'fraction' })
    expect(parseLocaleInteger('1,5', 'es')).toEqual({ ok: false, problem: 'fraction' })
    expect(parseLocaleInteger('40.00', 'es')).toEqual({ ok: false, problem: 'notNumber' })
    expect(parseLocaleInteger('4.000,5', 'es')).toEqual({ ok: false, problem: 'fraction' })
    expect(parseLocaleInteger('1e3', 'en')).toEqual({ ok: false, problem: 'notNumber' })
    expect(parseLocaleInteger('', 'en')).toEqual({ ok: false, problem: 'empty' })
  })

  it('reads back every whole number as the language formats it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom<Locale>('en', 'es'), (n, locale) => {
        expect(parseLocaleInteger(new Intl.NumberFormat(locale, { useGrouping: true }).format(n), locale)).toEqual({ ok: true, value: n })
      })
    )
  })

  it('the limits form: "4.000" in Spanish is 4000; "1.5" says it is not a whole number, never "Required"', () => {
    const t = (locale: Locale) => (key: keyof (typeof tenantsCatalog)['en'], params?: Record<string, string | number>) => translate(tenantsCatalog, locale, key, params)
    const form = (text: string, locale: Locale) => {
      const draft = { agentUsageLimit: text, requestsPerMinute: '10', requestsPerHour: '600', storageLimitMb: '100' }
      const candidate = Object.fromEntries(Object.entries(draft).map(([f, v]) => [f, wholeNumberOf(v, locale)]))
      return { candidate, issues: { ...localizedIssues(limitsSchema, candidate, t(locale)), ...wholeNumberIssues(draft, locale) } }
    }
    expect(form('4.000', 'es')).toEqual({ candidate: expect.objectContaining({ agentUsageLimit: 4000 }), issues: {} })
    expect(form('1.5', 'en').issues).toEqual({ agentUsageLimit: 'Enter a whole number' })
    expect(form('1,5', 'es').issues).toEqual({ agentUsageLimit: 'Escriba un número entero' })
    expect(form('4.000', 'en').issues.agentUsageLimit).toMatch(/could be read two ways: write 4000/)
    // The schema's own int check (a fraction that reached it) is worded the same way.
    expect(localizedIssues(limitsSchema, { agentUsageLimit: 1.5, requestsPerMinute: 1, requestsPerHour: 60, storageLimitMb: 5 }, t('en'))).toEqual({ agentUsageLimit: 'Enter a whole number' })
  })
})

describe('every whole-number field reads its text through one parser', () => {
  const locales = fc.constantFrom<Locale>('en', 'es')

  it('never turns text that is not a whole number in the chosen language into a number', () => {
    // Any text at all: either the number the language writes it as, or NaN with a stated problem.
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), locales, (text, locale) => {
        const value = wholeNumberOf(text, locale)
        const parsed = parseLocaleInteger(text, locale)
        if (parsed.ok) {
          expect(Number.isSafeInteger(value)).toBe(true)
          expect(wholeNumberProblem(text, locale)).toBeUndefined()
        } else {
          expect(value).toBeNaN()
          if (parsed.problem !== 'empty') expect(wholeNumberProblem(text, locale)).toMatch(/\S/)
        }
      })
    )
  })

  it('refuses decimals, exponents, signs in the middle and stray letters, whatever surrounds them', () => {
    const junk = fc.constantFrom('e3', 'x', '..', ',,', '+', '1/2', '½', '٣', 'Infinity', 'NaN', '0x10')
    fc.assert(
      fc.property(fc.nat(99_999), junk, locales, (n, bad, locale) => {
        for (const text of [`${n}${bad}`, `${bad}${n}`, `${n}${bad}${n}`]) expect(wholeNumberOf(text, locale), text).toBeNaN()
      })
    )
  })

  it('a fraction in either language is never rounded into a whole number', () => {
    fc.assert(
      fc.property(fc.nat(9_999), fc.integer({ min: 1, max: 9 }), locales, (whole, tenth, locale) => {
        const decimal = locale === 'es' ? ',' : '.'
        expect(wholeNumberOf(`${whole}${decimal}${tenth}`, locale)).toBeNaN()
      })
    )
  })

  it('says the problem in the chosen language, the ambiguous reading with the digits to write', () => {
    expect(wholeNumberProblem('1,5', 'es')).toBe('Escriba un número entero')
    expect(wholeNumberProblem('1.5', 'en')).toBe('Enter a whole number')
    expect(wholeNumberProblem('4.000', 'en')).toBe('“4.000” could be read two ways: write 4000 without separators, or the number you mean')
    expect(wholeNumberProblem('4.000', 'es')).toBeUndefined()
    expect(wholeNumberProblem('  ', 'es')).toBeUndefined()
  })

  it('no form reads a number any other way: every numeric input is a WholeNumberField, no Number(...) of typed text', async () => {
    const { readdirSync, readFileSync } = await import('node:fs')
    const path = await import('node:path')
    const root = path.resolve(import.meta.dirname, '../../src/renderer/src')
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx') && !f.endsWith('components/Field.tsx'))
    const offenders: string[] = []
    for (const file of files) {
      const text = readFileSync(path.join(root, file), 'utf8')
      // A number input ("4,000" is empty to it, "4.000" is four), a numeric text box of its own,
      // or a draft's text turned into a number without the locale.
      if (/<(TextField|input)\b[^>]*type="number"/.test(text) || /<(TextField|input)\b[^>]*inputMode="numeric"/.test(text) || /Number\((draft|drafts)\b/.test(text)) offenders.push(file)
    }
    expect(offenders).toEqual([])
  })
})

describe('the embedded demo named in the chosen language', () => {
  it('is translated, while a saved profile keeps its own name', async () => {
    const { connectionName } = await import('../../src/renderer/src/i18n/connectionName')
    expect(connectionName({ demo: true, name: 'Demo database (embedded)' }, 'es')).toBe('Base de datos de demostración (integrada)')
    expect(connectionName({ demo: true, name: 'Demo database (embedded)' }, 'en')).toBe('Demo database (embedded)')
    expect(connectionName({ demo: false, name: 'Staging' }, 'es')).toBe('Staging')
  })
})
