import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isoDaySchema, periodSchema } from '../../src/shared/rpc/areas/usage'

// A period's days are checked in the contract, so a bad one is BAD_INPUT before any handler runs.
// Zod runs a refinement even after the regex has failed, so the calendar check sees any string:
// it must answer false, never throw (a throw escapes safeParse and reaches the operator as an
// internal error instead of "Not a calendar date"). The contract test found this by chance.

/** An oracle that shares no code with the schema: the Gregorian month lengths, by hand, from year 1 (PostgreSQL has no year 0). */
function isCalendarDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return false
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return year >= 1 && month >= 1 && month <= 12 && date >= 1 && date <= (lengths[month - 1] ?? 0)
}

describe('usage periods', () => {
  it.each(['', 'abc', '2024-13-01', '2024-00-10', '2024-02-30', '2023-02-29', '2024-1-01', '99999-01-01', '0000-01-01'])('%j is refused, not thrown', (day) => {
    const parsed = isoDaySchema.safeParse(day)
    expect(parsed.success).toBe(false)
    expect(periodSchema.safeParse({ from: day, to: '2024-01-01' }).success).toBe(false)
  })

  it('any string is either a calendar day or refused, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/)), (day) => {
        const parsed = isoDaySchema.safeParse(day)
        expect(parsed.success).toBe(isCalendarDay(day))
      }),
      { numRuns: 500 }
    )
  })

  it('accepts real days, leap days included, and a period of at most three years', () => {
    expect(isoDaySchema.safeParse('2024-02-29').success).toBe(true)
    expect(periodSchema.safeParse({ from: '2024-02-29', to: '2027-02-28' }).success).toBe(true)
    expect(periodSchema.safeParse({ from: '2024-01-01', to: '2027-01-02' }).success).toBe(false)
    expect(periodSchema.safeParse({ from: '2024-01-02', to: '2024-01-01' }).success).toBe(false)
  })

  it('near year 9999, a short period is accepted and a reversed one refused for that reason', () => {
    expect(periodSchema.safeParse({ from: '9998-01-01', to: '9998-06-01' }).success).toBe(true)
    expect(periodSchema.safeParse({ from: '9999-12-01', to: '9999-12-31' }).success).toBe(true)
    const reversed = periodSchema.safeParse({ from: '9999-12-31', to: '9999-12-01' })
    expect(reversed.success ? [] : reversed.error.issues.map((i) => i.message)).toEqual(['The period must start before it ends'])
  })
})
