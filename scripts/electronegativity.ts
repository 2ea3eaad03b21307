/**
 * Electron security scan: runs @doyensec/electronegativity on src, keeps its SARIF report and
 * fails on every finding of medium severity or higher that electronegativity-waivers.json does not
 * explain. Electronegativity itself always exits 0, and its SARIF carries no severity (only
 * note/warning), so the severities come from the run's own result, joined to the SARIF results
 * one by one (the report is written from that same list, in order).
 * Usage: npx tsx scripts/electronegativity.ts [--input src] [--sarif test-results/electronegativity.sarif]
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const require = createRequire(import.meta.url)
const projectRoot = fileURLToPath(new URL('..', import.meta.url))

const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const
type Severity = (typeof SEVERITIES)[number]

/** Application-wide findings (no CSP at all, no navigation limits) have no file of their own. */
const GLOBAL_URI = 'file:///'
export const GLOBAL_FILE = '(application)'

export interface Finding {
  check: string
  /** Relative to the project root, forward slashes; GLOBAL_FILE for application-wide findings. */
  file: string
  line: number
  severity: Severity
  message: string
}

export interface Waiver {
  check: string
  file: string
  reason: string
}

export interface ScanReport {
  sarifPath: string
  findings: Finding[]
  /** Medium or higher, not waived: each one fails the gate. */
  unwaived: Finding[]
  /** Waivers that matched nothing: stale explanations fail the gate too. */
  staleWaivers: Waiver[]
}

interface EngIssue {
  id: string
  file: string
  severity: { name: Severity }
}
type EngRun = (options: Record<string, unknown>) => Promise<{ issues: EngIssue[] }>

interface SarifLog {
  runs: {
    results: {
      ruleId: string
      message: { text: string }
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]
    }[]
  }[]
}

export function loadWaivers(file = path.join(projectRoot, 'electronegativity-waivers.json')): Waiver[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
  const list = (parsed as { waivers?: unknown }).waivers
  if (!Array.isArray(list)) throw new Error(`${file}: expected { "waivers": [...] }`)
  return list.map((entry: Partial<Waiver>, i) => {
    if (typeof entry.check !== 'string' || typeof entry.file !== 'string' || typeof entry.reason !== 'string' || entry.reason.trim().length < 20) {
      throw new Error(`${file}: waiver #${i + 1} needs check, file and a reason that explains it (20+ characters)`)
    }
    return { check: entry.check, file: entry.file, reason: entry.reason }
  })
}

export async function scanElectronSecurity(options: {
  input: string
  sarifPath: string
  waivers: Waiver[]
  /** Checks to leave out (lower-case construct names, electronegativity's own option). */
  exclude?: string[]
}): Promise<ScanReport> {
  const input = path.resolve(projectRoot, options.input)
  mkdirSync(path.dirname(options.sarifPath), { recursive: true })
  rmSync(options.sarifPath, { force: true }) // never judge a previous run's report
  const run = require('@doyensec/electronegativity') as EngRun
  const electronVersion = (require('electron/package.json') as { version: string }).version
  // Its translations are fetched by locale name; a plain tag keeps the built-in English texts.
  process.env.LANG = 'en-US'
  const result = await quietly(() =>
    run({
      input,
      output: options.sarifPath,
      isSarif: true,
      isRelative: true,
      customScan: [],
      excludeFromScan: options.exclude ?? [],
      electronVersionOverride: electronVersion,
      parserPlugins: []
    })
  )

  const sarif = await readSarif(options.sarifPath)
  const results = sarif.runs[0]?.results ?? []
  if (results.length !== result.issues.length) throw new Error('SARIF report and scan result disagree; refusing to judge')
  const inputFromRoot = path.relative(projectRoot, input).split(path.sep).join('/')
  const findings = results.map((sarifResult, i): Finding => {
    const issue = result.issues[i]!
    const location = sarifResult.locations[0]!.physicalLocation
    if (issue.id !== sarifResult.ruleId) throw new Error(`SARIF result ${i} is ${sarifResult.ruleId}, the scan says ${issue.id}`)
    return {
      check: sarifResult.ruleId,
      file: location.artifactLocation.uri === GLOBAL_URI ? GLOBAL_FILE : path.posix.join(inputFromRoot, location.artifactLocation.uri),
      line: location.region.startLine,
      severity: issue.severity.name,
      message: sarifResult.message.text
    }
  })

  const matches = (waiver: Waiver, finding: Finding) => waiver.check === finding.check && waiver.file === finding.file
  const gated = findings.filter((f) => SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf('MEDIUM'))
  return {
    sarifPath: options.sarifPath,
    findings,
    unwaived: gated.filter((f) => !options.waivers.some((w) => matches(w, f))),
    staleWaivers: options.waivers.filter((w) => !gated.some((f) => matches(w, f)))
  }
}

/** The library writes the report with an un-awaited fs.writeFile: wait until it is complete. */
async function readSarif(file: string): Promise<SarifLog> {
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as SarifLog
    } catch (error) {
      if (attempt >= 250) throw error
      await sleep(20)
    }
  }
}

/** The library prints progress and network complaints; the report is ours to print. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, info: console.info }
  console.log = console.warn = console.info = () => {}
  try {
    return await fn()
  } finally {
    Object.assign(console, saved)
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { input: { type: 'string', default: 'src' }, sarif: { type: 'string', default: 'test-results/electronegativity.sarif' } } })
  const report = await scanElectronSecurity({ input: values.input!, sarifPath: path.resolve(projectRoot, values.sarif!), waivers: loadWaivers() })
  for (const f of report.findings) console.log(`${f.severity.padEnd(13)} ${f.check.padEnd(32)} ${f.file}:${f.line}`)
  for (const f of report.unwaived) console.error(`NOT WAIVED: ${f.check} (${f.severity}) at ${f.file}:${f.line}: ${f.message}`)
  for (const w of report.staleWaivers) console.error(`STALE WAIVER: ${w.check} in ${w.file} matches no finding; remove it`)
  console.log(`electronegativity: ${report.findings.length} findings, ${report.unwaived.length} not waived, ${report.staleWaivers.length} stale waivers; SARIF at ${path.relative(projectRoot, report.sarifPath)}`)
  process.exitCode = report.unwaived.length > 0 || report.staleWaivers.length > 0 ? 1 : 0
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
