/** What seedDatabase reports while it loads; `planned` totals are known before the first row. */
export interface SeedProgress {
  table: string
  tableRows: number
  tablePlanned: number
  rows: number
  planned: number
  /** True once for each table, when its last row is in. */
  tableDone: boolean
  /** Work after a table's rows are in (e.g. "chaining audit rows 120/501"); rows do not move meanwhile. */
  step?: string
}

interface ProgressSink {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

export interface ProgressBarOptions {
  now?: () => number
  /** Non-TTY: minimum milliseconds between plain lines (table completions always print). */
  lineIntervalMs?: number
}

const numberFormat = new Intl.NumberFormat('en-US')

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}

function formatRate(rowsPerSecond: number): string {
  if (rowsPerSecond >= 1000) return `${(rowsPerSecond / 1000).toFixed(1)}k rows/s`
  return `${Math.round(rowsPerSecond)} rows/s`
}

/**
 * A progress bar on stderr: rows loaded, rate, ETA. On a terminal it redraws one line; when
 * stderr is a file or a CI log it prints plain lines instead, throttled, so logs stay readable.
 */
export function createProgressBar(sink: ProgressSink = process.stderr, opts: ProgressBarOptions = {}) {
  const now = opts.now ?? (() => Date.now())
  const lineIntervalMs = opts.lineIntervalMs ?? 2000
  const started = now()
  let lastLine = started
  let drewTty = false

  function describe(p: SeedProgress): string {
    const elapsed = Math.max((now() - started) / 1000, 1e-3)
    const rate = p.rows / elapsed
    const eta = rate > 0 ? (p.planned - p.rows) / rate : Infinity
    const pct = p.planned > 0 ? Math.min(100, (100 * p.rows) / p.planned) : 100
    const what = p.step ?? `${p.table} ${numberFormat.format(p.tableRows)}/${numberFormat.format(p.tablePlanned)}`
    return `${what} · total ${numberFormat.format(p.rows)}/${numberFormat.format(p.planned)} (${pct.toFixed(1)}%) · ${formatRate(rate)} · ETA ${formatDuration(eta)}`
  }

  function update(p: SeedProgress): void {
    if (sink.isTTY) {
      const width = 24
      const filled = p.planned > 0 ? Math.round((width * Math.min(p.rows, p.planned)) / p.planned) : width
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${describe(p)}`
      const max = (sink.columns ?? 120) - 1
      sink.write(`\r\x1b[2K${line.length > max ? line.slice(0, max) : line}`)
      drewTty = true
      return
    }
    const t = now()
    if (p.tableDone || t - lastLine >= lineIntervalMs) {
      lastLine = t
      sink.write(`seed: ${describe(p)}\n`)
    }
  }

  function finish(summary: string): void {
    if (drewTty) sink.write('\n')
    sink.write(`seed: ${summary} in ${formatDuration((now() - started) / 1000)}\n`)
  }

  return { update, finish }
}
