import { describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES, RpcError } from '../../src/shared/rpc/errors'
import { areas } from '../../src/renderer/src/areas/registry'
import { frameCatalog } from '../../src/renderer/src/i18n/catalog'
import { errorMessageKey, fieldIssues } from '../../src/renderer/src/i18n/errors'
import { interpolate, LOCALES, placeholdersOf, translate, type Catalog, type Messages } from '../../src/renderer/src/i18n/define'

// Every catalog the console ships: the frame's and one per registered area.
const catalogs: [string, Catalog<Messages>][] = [['frame', frameCatalog as unknown as Catalog<Messages>], ...areas.map((area): [string, Catalog<Messages>] => [area.id, area.catalog as Catalog<Messages>])]

describe('translations', () => {
  it('covers the frame and every registered area', () => {
    expect(catalogs.map(([name]) => name)).toEqual(['frame', ...areas.map((area) => area.id)])
    expect(areas.length).toBeGreaterThanOrEqual(2)
  })

  for (const [name, catalog] of catalogs) {
    describe(name, () => {
      it('has exactly the same keys in English and Spanish', () => {
        const english = Object.keys(catalog.en).sort()
        for (const locale of LOCALES) expect(Object.keys(catalog[locale]).sort(), `${name}/${locale}`).toEqual(english)
      })

      it('uses the same placeholders in every language', () => {
        for (const key of Object.keys(catalog.en)) {
          for (const locale of LOCALES) expect(placeholdersOf(catalog[locale][key]!), `${name}/${locale}/${key}`).toEqual(placeholdersOf(catalog.en[key]!))
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

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{done} of {total}', { done: 3, total: 10 })).toBe('3 of 10')
    expect(interpolate('Hello {name}', {})).toBe('Hello {name}')
    expect(interpolate('no params')).toBe('no params')
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
  })

  it('formats every numeric parameter for the locale, so no caller formats one itself', () => {
    expect(translate(frameCatalog, 'en', 'table.rowCount', { count: 21312 })).toBe('21,312 rows')
    expect(translate(frameCatalog, 'es', 'table.rowCount', { count: 21312 })).toBe('21.312 filas')
    expect(translate(frameCatalog, 'es', 'progress.items', { done: 0.88, total: 12000 })).toBe('0,88 de 12.000')
  })

  it('gives every plural message an "other" form, in every catalog', () => {
    for (const [name, catalog] of catalogs) {
      for (const key of Object.keys(catalog.en).filter((k) => /_(one|many)$/.test(k))) expect(catalog.en, `${name}/${key}`).toHaveProperty(key.replace(/_(one|many)$/, '_other'))
    }
  })

  it('addresses the operator as "usted" throughout the Spanish catalogs, never "tú"', () => {
    const tu = /(?<![\p{L}])(puedes|tienes|quieres|debes|desplázate|inténtalo|tu|tus|te)(?![\p{L}])/iu
    for (const [name, catalog] of catalogs) {
      for (const [key, text] of Object.entries(catalog.es)) expect(text, `${name}/es/${key}`).not.toMatch(tu)
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
