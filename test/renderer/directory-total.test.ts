import { describe, expect, it } from 'vitest'
import { nextTotal } from '../../src/renderer/src/areas/Tenants/usePages'
import { tenantsCatalog } from '../../src/renderer/src/areas/Tenants/messages'
import { translate } from '../../src/renderer/src/i18n/define'

/* Migration 027: the directory counts its matches up to a cap; the list shows "1,000+" then. */
describe('a capped directory total', () => {
  it('reads as at least that many, in both languages', () => {
    expect(translate(tenantsCatalog, 'en', 'directory.countAtLeast', { count: 1000 })).toBe('1,000+ tenants')
    expect(translate(tenantsCatalog, 'es', 'directory.countAtLeast', { count: 12000 })).toBe('12.000+ clientes')
    expect(translate(tenantsCatalog, 'en', 'directory.count', { count: 999 })).toBe('999 tenants')
  })

  it('grows as pages further down count further, never shrinks on an earlier page, and yields to an exact count', () => {
    const start = { total: null, totalCapped: false }
    const first = nextTotal(start, { total: 1000, totalCapped: true })
    expect(first).toEqual({ total: 1000, totalCapped: true })
    const deeper = nextTotal(first, { total: 2000, totalCapped: true })
    expect(deeper).toEqual({ total: 2000, totalCapped: true })
    // Page 0 fetched again (a retry) still counts to 1,000: the table keeps its 2,000 rows.
    expect(nextTotal(deeper, { total: 1000, totalCapped: true })).toEqual({ total: 2000, totalCapped: true })
    const exact = nextTotal(deeper, { total: 2345, totalCapped: false })
    expect(exact).toEqual({ total: 2345, totalCapped: false })
    expect(nextTotal(exact, { total: 1000, totalCapped: true })).toEqual(exact)
    // A list without caps (the names list) is always exact.
    expect(nextTotal(start, { total: 12 })).toEqual({ total: 12, totalCapped: false })
  })
})
