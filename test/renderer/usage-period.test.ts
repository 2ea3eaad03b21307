import { describe, expect, it } from 'vitest'
import { MAX_PERIOD_YEARS } from '../../src/shared/rpc/areas/usage'
import { resolvePeriod } from '../../src/renderer/src/areas/Usage/period'
import { usageCatalog } from '../../src/renderer/src/areas/Usage/messages'
import { translate } from '../../src/renderer/src/i18n/define'

// A custom period is checked by the server's own schema, whose messages are English only: the
// form shows each one in the operator's language.
const refusal = (from: string, to: string) => resolvePeriod({ preset: 'custom', custom: { from, to } }).error

describe('a refused custom period', () => {
  it('names why, in English and in Spanish', () => {
    const cases: [string, string, string, string][] = [
      ['2024-03-01', '', 'Enter a whole date', 'Introduce una fecha completa'],
      ['2023-02-29', '2023-03-01', 'Not a calendar date', 'No es una fecha del calendario'],
      ['2024-03-02', '2024-03-01', 'The period must start before it ends', 'El periodo debe empezar antes de terminar'],
      ['2020-01-01', '2024-01-01', 'At most 3 years', 'Como máximo 3 años']
    ]
    for (const [from, to, en, es] of cases) {
      const issue = refusal(from, to)
      expect(issue, `${from} → ${to}`).not.toBeNull()
      expect(translate(usageCatalog, 'en', issue!, { years: MAX_PERIOD_YEARS })).toBe(en)
      expect(translate(usageCatalog, 'es', issue!, { years: MAX_PERIOD_YEARS })).toBe(es)
    }
  })

  it('is no refusal for a valid period or a preset', () => {
    expect(refusal('2024-02-29', '2027-02-28')).toBeNull()
    expect(resolvePeriod({ preset: 'last30', custom: { from: '', to: '' } }).error).toBeNull()
  })
})
