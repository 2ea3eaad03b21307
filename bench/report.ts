import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import path from 'node:path'

/** One measured figure. `runs` are the individual samples the value summarises. */
export interface BenchMetric {
  name: string
  value: number
  unit: string
  runs?: number[]
  note?: string
}

/** What each bench module returns; bench/run.ts puts them side by side in one report. */
export interface BenchSection {
  id: string
  title: string
  metrics: BenchMetric[]
  notes?: string[]
  /** When bench/run.ts ran the module: a partial rerun keeps the other sections from earlier runs. */
  measured?: { startedAt: string; finishedAt: string }
}

/** Passed to every bench module (`onLog` is the same function, for modules that name it so). */
export interface BenchContext {
  log(line: string): void
  onLog(line: string): void
  /** Superuser URL of the bench database: BENCH_DATABASE_URL, else the local server's avia_bench. */
  adminUrl: string
}

export interface BenchReport {
  startedAt: string
  finishedAt: string
  machine: { node: string; platform: string; cpus: number; cpuModel: string; memoryGiB: number }
  sections: BenchSection[]
  failures: { id: string; message: string }[]
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Nearest-rank percentile (p in 0..100), the definition every p95 of this report uses. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function machine(): BenchReport['machine'] {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10
  }
}

const formatNumber = (value: number) => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 1 }))
// Ratios are checked against limits such as ≤ 1.2: one decimal would print 1.17 and 1.24 alike.
const formatValue = (value: number, unit: string) =>
  unit === '×' ? value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : formatNumber(value)

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine
  const lines = [
    '# Benchmarks',
    '',
    `Last run ${report.startedAt} → ${report.finishedAt} (each section says when it was measured) on ${m.platform}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}.`,
    ''
  ]
  for (const section of report.sections) {
    lines.push(`## ${section.title}`, '')
    if (section.measured) lines.push(`Measured ${section.measured.startedAt} → ${section.measured.finishedAt}.`, '')
    lines.push('| Metric | Value | Runs |', '| --- | ---: | --- |')
    for (const metric of section.metrics) {
      const runs = metric.runs ? metric.runs.map(formatNumber).join(', ') : ''
      lines.push(`| ${metric.name}${metric.note ? ` (${metric.note})` : ''} | ${formatValue(metric.value, metric.unit)} ${metric.unit} | ${runs} |`)
    }
    for (const note of section.notes ?? []) lines.push('', note)
    lines.push('')
  }
  if (report.failures.length > 0) {
    lines.push('## Failed', '')
    for (const failure of report.failures) lines.push(`- **${failure.id}**: ${failure.message}`)
    lines.push('')
  }
  return lines.join('\n')
}

/**
 * `fresh` on top of the report already in `dir`: its sections replace those with the same id, the
 * others stay with the time they were measured, so a rerun of some modules erases no other figures.
 */
export async function mergeWithPrevious(dir: string, fresh: BenchReport): Promise<BenchReport> {
  let previous: BenchReport
  try {
    previous = JSON.parse(await readFile(path.join(dir, 'latest.json'), 'utf8')) as BenchReport
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fresh
    throw error
  }
  // A module that failed now keeps its earlier section next to the new failure.
  const remeasured = new Set(fresh.sections.map((s) => s.id))
  const rerun = new Set([...remeasured, ...fresh.failures.map((f) => f.id)])
  const earlier = { startedAt: previous.startedAt, finishedAt: previous.finishedAt }
  const kept = previous.sections.filter((s) => !remeasured.has(s.id)).map((s) => ({ ...s, measured: s.measured ?? earlier }))
  const sections = [...kept, ...fresh.sections]
  const order = new Map(previous.sections.map((s, i) => [s.id, i]))
  sections.sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity))
  return { ...fresh, sections, failures: [...previous.failures.filter((f) => !rerun.has(f.id)), ...fresh.failures] }
}

/** Writes `latest.json` and `latest.md` into `dir`. */
export async function writeReport(dir: string, report: BenchReport): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true })
  const json = path.join(dir, 'latest.json')
  const markdown = path.join(dir, 'latest.md')
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(markdown, renderMarkdown(report))
  return { json, markdown }
}
