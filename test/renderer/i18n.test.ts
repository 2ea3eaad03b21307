import { describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES, RpcError } from '../../src/shared/rpc/errors'
import { areas } from '../../src/renderer/src/areas/registry'
import { frameCatalog } from '../../src/renderer/src/i18n/catalog'
import { errorMessageKey, fieldIssues } from '../../src/renderer/src/i18n/errors'
import { parse } from '@formatjs/icu-messageformat-parser'
import { argumentsOf, LOCALES, translate, type Catalog, type Messages } from '../../src/renderer/src/i18n/define'
import { reviewCatalog } from '../../src/renderer/src/components/review/commonMessages'
import { capabilitiesCatalog } from '../../src/renderer/src/capabilities/messages'

// Every catalog the console ships: the frame's, the shared ones and one per registered area.
const shared: [string, Catalog<Messages>][] = [
  ['frame', frameCatalog as unknown as Catalog<Messages>],
  ['review', reviewCatalog as unknown as Catalog<Messages>],
  ['capabilities', capabilitiesCatalog as unknown as Catalog<Messages>]
]
const catalogs: [string, Catalog<Messages>][] = [...shared, ...areas.map((area): [string, Catalog<Messages>] => [area.id, area.catalog as Catalog<Messages>])]

/** The ICU arguments a message uses, read from its parsed form (a plural's `count` counts once). */
const argumentsIn = (message: string): string[] => argumentsOf(parse(message, { ignoreTag: true }))

describe('translations', () => {
  it('covers the frame and every registered area', () => {
    expect(catalogs.map(([name]) => name)).toEqual([...shared.map(([name]) => name), ...areas.map((area) => area.id)])
    expect(areas.length).toBeGreaterThanOrEqual(2)
  })

  for (const [name, catalog] of catalogs) {
    describe(name, () => {
      it('has exactly the same keys in English and Spanish', () => {
        const english = Object.keys(catalog.en).sort()
        for (const locale of LOCALES) expect(Object.keys(catalog[locale]).sort(), `${name}/${locale}`).toEqual(english)
      })

      it('parses every message as ICU MessageFormat', () => {
        for (const locale of LOCALES) {
          for (const [key, text] of Object.entries(catalog[locale])) expect(() => parse(text, { ignoreTag: true }), `${name}/${locale}/${key}`).not.toThrow()
        }
      })

      it('uses the same arguments in every language', () => {
        for (const key of Object.keys(catalog.en)) {
          for (const locale of LOCALES) expect(argumentsIn(catalog[locale][key]!), `${name}/${locale}/${key}`).toEqual(argumentsIn(catalog.en[key]!))
        }
      })

      it('has no empty or untranslated-looking string', () => {
        for (const locale of LOCALES) {
          for (const [key, text] of Object.entries(catalog[locale])) {
            expect(text.trim(), `${name}/${locale}/${key}`).not.toBe('')
            expect(text, `${name}/${locale}/${key}`).not.toMatch(/TODO|FIXME/)
          }
        }
      })
    })
  }

  it('has a translated message for every RPC error code, different in each language', () => {
    for (const code of RPC_ERROR_CODES) {
      const key = `error.${code}` as const
      expect(frameCatalog.en[key], code).toBeTruthy()
      expect(frameCatalog.es[key], code).toBeTruthy()
      expect(frameCatalog.es[key]).not.toBe(frameCatalog.en[key])
    }
  })

  it('names every area in both languages', () => {
    for (const area of areas) {
      for (const locale of LOCALES) {
        expect(translate(area.catalog, locale, 'area.title').length, `${area.id}/${locale}`).toBeGreaterThan(0)
        expect(translate(area.catalog, locale, 'area.description').length, `${area.id}/${locale}`).toBeGreaterThan(0)
      }
    }
  })
})

describe('translate', () => {
  const one = (message: string, params?: Record<string, string | number>, locale: 'en' | 'es' = 'en') => translate({ en: { m: message }, es: { m: message } }, locale, 'm', params)

  it('fills arguments and shows the source text when one is missing', () => {
    expect(one('{done} of {total}', { done: 3, total: 10 })).toBe('3 of 10')
    expect(one('Hello {name}', {})).toBe('Hello {name}')
    expect(one('no params')).toBe('no params')
    // A count formatted before it arrives ("1.234" in Spanish) would pick the wrong plural form.
    expect(one('{count, plural, one {# row} other {# rows}}', { count: '1.234' }, 'es')).toBe('{count, plural, one {# row} other {# rows}}')
  })

  it('keeps apostrophes and angle brackets as written', () => {
    expect(one("The tenant's {what} can't wait", { what: 'plan' })).toBe("The tenant's plan can't wait")
    expect(one("{count, plural, one {# tenant's key} other {# tenants' keys}}", { count: 2 })).toBe("2 tenants' keys")
    expect(one('a <b> c', {})).toBe('a <b> c')
    expect(translate(frameCatalog, 'en', 'palette.noResults', { query: "o'brien" })).toBe('Nothing matches “o\'brien”.')
  })

  it('translates with parameters in the chosen language', () => {
    expect(translate(frameCatalog, 'en', 'progress.items', { done: '5', total: '9' })).toBe('5 of 9')
    expect(translate(frameCatalog, 'es', 'progress.items', { done: '5', total: '9' })).toBe('5 de 9')
  })
})

describe('plurals, numbers and the form of address (issue 15)', () => {
  const tenants = areas.find((area) => area.id === 'tenants')!.catalog as Catalog<Messages>

  it('chooses the plural form by count: 0, 1 and 2 read right in both languages', () => {
    const count = (locale: 'en' | 'es', n: number) => translate(tenants, locale, 'directory.count', { count: n })
    expect([0, 1, 2].map((n) => count('en', n))).toEqual(['0 tenants', '1 tenant', '2 tenants'])
    expect([0, 1, 2].map((n) => count('es', n))).toEqual(['0 clientes', '1 cliente', '2 clientes'])
    // Spanish "many" (a million) falls back to the "other" form.
    expect(count('es', 1_000_000)).toBe('1.000.000 clientes')
    expect(translate(frameCatalog, 'en', 'table.rowCount', { count: 1 })).toBe('1 row')
    // Counts inside a sentence, several in one message (issue 15 §6).
    const catalogOf = (id: string) => areas.find((area) => area.id === id)!.catalog as Catalog<Messages>
    expect(translate(catalogOf('credentials'), 'es', 'badge.overdue', { count: 1 })).toBe('1 vencida')
    expect(translate(catalogOf('marketplace'), 'en', 'fact.ratingValue', { rating: '4,5', count: 1 })).toBe('4,5 from 1 review')
    expect(translate(catalogOf('consent'), 'es', 'approve.done', { conversations: 1, sessions: 2, consents: 0 })).toBe('Suprimido: 1 conversación, 2 sesiones, 0 registros de consentimiento')
    expect(translate(catalogOf('usage'), 'es', 'export.done', { rows: 1, file: 'u.csv' })).toBe('Se exportó 1 fila a u.csv')
  })

  it('formats every numeric parameter for the locale, so no caller formats one itself', () => {
    expect(translate(frameCatalog, 'en', 'table.rowCount', { count: 21312 })).toBe('21,312 rows')
    expect(translate(frameCatalog, 'es', 'table.rowCount', { count: 21312 })).toBe('21.312 filas')
    expect(translate(frameCatalog, 'es', 'progress.items', { done: 0.88, total: 12000 })).toBe('0,88 de 12.000')
  })

  it('writes a count as one ICU plural key, never i18next-style _one/_other keys', () => {
    for (const [name, catalog] of catalogs) {
      for (const key of Object.keys(catalog.en)) expect(key, `${name}/${key}`).not.toMatch(/_(zero|one|two|few|many|other)$/)
    }
  })

  it('addresses the operator as "usted" throughout the Spanish catalogs, never "tú"', () => {
    const tu = /(?<![\p{L}])(puedes|tienes|quieres|debes|desplázate|inténtalo|asegúrate|selecciona|escribe|pulsa|elige|haz|tu|tus|te)(?![\p{L}])|(^|[.;:] )(Busca|Abre|Usa|Cierra|Vuelve)(?![\p{L}])/iu
    for (const [name, catalog] of catalogs) {
      for (const [key, text] of Object.entries(catalog.es)) expect(text, `${name}/es/${key}`).not.toMatch(tu)
    }
  })
})

describe('one word for a tenant in Spanish', () => {
  it('says "cliente" everywhere, never "inquilino"', () => {
    for (const [name, catalog] of catalogs) {
      for (const [key, text] of Object.entries(catalog.es)) expect(text, `${name}/es/${key}`).not.toMatch(/inquilin/i)
    }
  })
})

describe('errors shown to the operator', () => {
  it('maps an RpcError to its code message and anything else to INTERNAL', () => {
    expect(errorMessageKey(new RpcError('FORBIDDEN', 'permission denied for table tenant_limits'))).toBe('error.FORBIDDEN')
    expect(errorMessageKey(new TypeError('x is undefined'))).toBe('error.INTERNAL')
    expect(fieldIssues(new RpcError('BAD_INPUT', 'bad', { issues: [{ path: 'port', message: 'Too big' }] }))).toEqual({ port: 'Too big' })
    expect(fieldIssues(new Error('plain'))).toEqual({})
  })
})
