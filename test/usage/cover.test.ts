import fc from 'fast-check'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../src/main/domains/usage/compute'
import { coverPeriod, type Cover } from '../../src/main/domains/usage/cover'
import { adminClient } from '../helpers/db'

/**
 * Issue 10: the overview reads a period as whole months, whole ISO weeks and days (migration 026).
 * The cache's rule (cover.ts) and the server's (app.usage_period_cover) must name the same blocks,
 * and those blocks must hold every day of the period exactly once: a day counted twice or missed
 * would be a wrong total that both sides agree on.
 */

let admin: pg.Client
beforeAll(async () => {
  admin = await adminClient()
})
afterAll(async () => {
  await admin?.end()
})

const DAY_MS = 86_400_000
const dayArb = fc.integer({ min: Date.parse('2019-01-01'), max: Date.parse('2030-12-31') }).map((ms) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10))
const periodArb = fc.tuple(dayArb, fc.integer({ min: 0, max: 3 * 365 })).map(([from, length]) => ({ from, to: addDays(from, length) }))

/** The days each block stands for, in order. */
function daysOf(cover: Cover): string[] {
  const days: string[] = [...cover.days]
  for (const w of cover.weeks) for (let i = 0; i < 7; i++) days.push(addDays(w, i))
  for (const m of cover.months) for (let d = m; d.slice(0, 7) === m.slice(0, 7); d = addDays(d, 1)) days.push(d)
  return days.sort()
}

async function serverCover(from: string, to: string): Promise<Cover> {
  const { rows } = await admin.query<{ span: 'month' | 'week' | 'day'; starts: string }>(
    `select span, to_char(starts, 'YYYY-MM-DD') as starts from app.usage_period_cover($1::date, $2::date) order by starts`,
    [from, to]
  )
  const pick = (span: string) => rows.filter((r) => r.span === span).map((r) => r.starts)
  return { months: pick('month'), weeks: pick('week'), days: pick('day') }
}

describe('a period as summary blocks', () => {
  it('covers every day once, months on the 1st and weeks on Mondays (fast-check)', () => {
    fc.assert(
      fc.property(periodArb, (period) => {
        const cover = coverPeriod(period)
        const expected: string[] = []
        for (let d = period.from; d <= period.to; d = addDays(d, 1)) expected.push(d)
        expect(daysOf(cover)).toEqual(expected)
        for (const m of cover.months) expect(m.endsWith('-01')).toBe(true)
        for (const w of cover.weeks) expect(new Date(`${w}T00:00:00Z`).getUTCDay()).toBe(1)
      }),
      { numRuns: 300 }
    )
  })

  it('reads a 90-day period as 13 blocks instead of 90 days', () => {
    const cover = coverPeriod({ from: '2026-09-04', to: '2026-12-02' })
    expect(cover).toEqual({
      months: ['2026-10-01', '2026-11-01'],
      weeks: ['2026-09-07', '2026-09-14', '2026-09-21'],
      days: ['2026-09-04', '2026-09-05', '2026-09-06', '2026-09-28', '2026-09-29', '2026-09-30', '2026-12-01', '2026-12-02']
    })
  })

  it('names the same blocks in the cache and in the database (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(periodArb, async (period) => {
        expect(await serverCover(period.from, period.to)).toEqual(coverPeriod(period))
      }),
      { numRuns: 150 }
    )
  })
})
