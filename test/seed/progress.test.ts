import { describe, expect, it } from 'vitest'
import { createProgressBar, formatDuration, type SeedProgress } from '../../src/main/demo/seed/progress'

function sink(isTTY: boolean) {
  const writes: string[] = []
  return { writes, isTTY, columns: 200, write: (t: string) => writes.push(t) }
}

const step = (rows: number, over: Partial<SeedProgress> = {}): SeedProgress => ({
  table: 'executions',
  tableRows: rows,
  tablePlanned: 1000,
  rows,
  planned: 2000,
  tableDone: false,
  ...over
})

describe('progress bar', () => {
  it('redraws one line on a terminal with rows, rate and ETA', () => {
    let t = 0
    const out = sink(true)
    const bar = createProgressBar(out, { now: () => t })
    t = 10_000
    bar.update(step(500))
    const line = out.writes.at(-1)!
    expect(line.startsWith('\r')).toBe(true)
    expect(line).not.toContain('\n')
    expect(line).toContain('executions 500/1,000')
    expect(line).toContain('total 500/2,000 (25.0%)')
    expect(line).toContain('50 rows/s')
    // 1500 rows left at 50 rows/s
    expect(line).toContain('ETA 30s')
    bar.finish('loaded 2,000 rows')
    expect(out.writes.at(-2)).toBe('\n')
    expect(out.writes.at(-1)).toBe('seed: loaded 2,000 rows in 10s\n')
  })

  it('prints throttled plain lines when stderr is not a terminal', () => {
    let t = 0
    const out = sink(false)
    const bar = createProgressBar(out, { now: () => t, lineIntervalMs: 1000 })
    t = 1000
    bar.update(step(100))
    t = 1500
    bar.update(step(200)) // throttled
    t = 1600
    bar.update(step(1000, { tableDone: true })) // table completion always prints
    expect(out.writes).toHaveLength(2)
    for (const w of out.writes) {
      expect(w.startsWith('seed: ')).toBe(true)
      expect(w.endsWith('\n')).toBe(true)
      expect(w).not.toContain('\r')
      expect(w).not.toContain('\x1b')
    }
    expect(out.writes[1]).toContain('executions 1,000/1,000')
  })

  it('shows post-load work instead of the table counter while rows stand still', () => {
    let t = 0
    const out = sink(true)
    const bar = createProgressBar(out, { now: () => t })
    t = 4000
    bar.update(step(2000, { table: 'audit_logs', tableRows: 1000, step: 'chaining audit rows 10/31 chains' }))
    expect(out.writes.at(-1)).toContain('chaining audit rows 10/31 chains · total 2,000/2,000 (100.0%)')
    expect(out.writes.at(-1)).not.toContain('audit_logs 1,000')
  })

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s')
    expect(formatDuration(125)).toBe('2m05s')
    expect(formatDuration(7260)).toBe('2h01m')
    expect(formatDuration(Infinity)).toBe('--')
  })
})
