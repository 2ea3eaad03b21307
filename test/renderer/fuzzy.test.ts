import { describe, expect, it } from 'vitest'
import { fold, fuzzyMatch, rankByFuzzy } from '../../src/renderer/src/palette/fuzzy'

describe('fuzzyMatch', () => {
  it('matches a subsequence and reports where', () => {
    const match = fuzzyMatch('exn', 'Executions')
    expect(match).not.toBeNull()
    expect(match!.positions).toEqual([0, 1, 8])
  })

  it('refuses characters that are missing or out of order', () => {
    expect(fuzzyMatch('xz', 'Executions')).toBeNull()
    expect(fuzzyMatch('noe', 'one')).toBeNull()
  })

  it('ignores case, accents and spaces in the query', () => {
    expect(fuzzyMatch('configuracion', 'Configuración')).not.toBeNull()
    expect(fuzzyMatch('CLÍNICA', 'Clinica Dental Sur')).not.toBeNull()
    expect(fuzzyMatch('au lo', 'Audit log')!.positions).toEqual([0, 1, 6, 7])
  })

  it('keeps positions aligned with the original text when accents are folded', () => {
    expect(fold('Configuración')).toHaveLength('Configuración'.length)
    expect(fuzzyMatch('on', 'Configuración')!.positions).toEqual([1, 2])
  })

  it('matches everything with an empty query', () => {
    expect(fuzzyMatch('', 'Overview')).toEqual({ score: 0, positions: [] })
  })

  it('scores prefixes and word starts above scattered letters', () => {
    const prefix = fuzzyMatch('set', 'Settings')!.score
    const wordStart = fuzzyMatch('set', 'Tenant settings')!.score
    const scattered = fuzzyMatch('set', 'Seats and tickets')!.score
    expect(prefix).toBeGreaterThan(wordStart)
    expect(wordStart).toBeGreaterThan(scattered)
  })
})

describe('rankByFuzzy', () => {
  const areas = [
    { id: 'audit', label: 'Audit log', keywords: ['registro'] },
    { id: 'executions', label: 'Executions', keywords: ['runs', 'ejecuciones'] },
    { id: 'settings', label: 'Settings', keywords: ['preferences'] }
  ]
  const texts = (area: (typeof areas)[number]) => [area.label, ...area.keywords]

  it('drops non-matching items and ranks the best first', () => {
    expect(rankByFuzzy(areas, 'exe', texts).map((r) => r.item.id)).toEqual(['executions'])
    expect(rankByFuzzy(areas, 'set', texts)[0]!.item.id).toBe('settings')
  })

  it('finds items through their keywords, without highlighting the label', () => {
    const [hit] = rankByFuzzy(areas, 'ejecuciones', texts)
    expect(hit!.item.id).toBe('executions')
    expect(hit!.match.positions).toEqual([])
  })

  it('keeps the original order for an empty query', () => {
    expect(rankByFuzzy(areas, '', texts).map((r) => r.item.id)).toEqual(['audit', 'executions', 'settings'])
  })
})

describe('whole-query hits', () => {
  it('highlight the contiguous run, preferring a word start', () => {
    expect(fuzzyMatch('log', 'Audit log')!.positions).toEqual([6, 7, 8])
    expect(fuzzyMatch('set', 'Reset settings')!.positions).toEqual([6, 7, 8])
  })

  it('rank above any scattered match', () => {
    expect(fuzzyMatch('tenant', 'Tenants')!.score).toBeGreaterThan(fuzzyMatch('tenant', 'T e n a n t')!.score)
  })
})
