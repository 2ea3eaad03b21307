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

describe('errors shown to the operator', () => {
  it('maps an RpcError to its code message and anything else to INTERNAL', () => {
    expect(errorMessageKey(new RpcError('FORBIDDEN', 'permission denied for table tenant_limits'))).toBe('error.FORBIDDEN')
    expect(errorMessageKey(new TypeError('x is undefined'))).toBe('error.INTERNAL')
    expect(fieldIssues(new RpcError('BAD_INPUT', 'bad', { issues: [{ path: 'port', message: 'Too big' }] }))).toEqual({ port: 'Too big' })
    expect(fieldIssues(new Error('plain'))).toEqual({})
  })
})
