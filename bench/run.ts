// `npm run bench [-- module…]`: runs every bench module one after another (never concurrently:
// they would share the CPUs and skew each other's timings) and writes bench/results/latest.{json,md};
// with modules named, their sections replace the same ones in the existing report and the rest stay.
// Modules of other areas are included when present, in an order that respects what they need:
// bench/seed.ts loads the bench database that bench/rls.ts and bench/cache.ts then read.
// The bench database is BENCH_DATABASE_URL (a superuser URL), by default the local server's avia_bench.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { machine, mergeWithPrevious, writeReport, type BenchContext, type BenchReport, type BenchSection } from './report'
import { benchStartup } from './startup'

type BenchModule = (ctx: BenchContext) => Promise<BenchSection>

const here = path.dirname(fileURLToPath(import.meta.url))
const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/avia_bench'

async function optional(file: string, exportName: string): Promise<BenchModule | null> {
  const full = path.join(here, file)
  if (!existsSync(full)) return null
  const module = (await import(pathToFileURL(full).href)) as Record<string, unknown>
  const fn = module[exportName]
  if (typeof fn !== 'function') throw new Error(`${file} does not export ${exportName}()`)
  return fn as BenchModule
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const modules: [string, BenchModule | null][] = [
    ['startup', benchStartup],
    ['seed', await optional('seed.ts', 'benchSeed')],
    ['rls', await optional('rls.ts', 'benchRls')],
    ['tenants', await optional('tenants.ts', 'benchTenants')],
    ['cache', await optional('cache.ts', 'benchCache')],
    // Its own scratch database: the archival job moving 100,000 executions, and the cache's next sync.
    ['archival', await optional('archival.ts', 'benchArchival')],
    // Its own scratch database on the bench server: the consent slice at the bench scale.
    ['consent', await optional('consent.ts', 'benchConsent')],
    // Its own scratch database: the usage overview online and offline, and the fold, at two sizes.
    ['usage', await optional('usage.ts', 'benchUsage')],
    // Its own scratch databases (5,000 and 50,000 templates), then the built console in Chromium.
    ['marketplace', await optional('marketplace.ts', 'benchMarketplace')],
    // Its own scratch database too: 50,000 credentials and a bulk roll of 1,000.
    ['credentials', await optional('credentials.ts', 'benchCredentials')],
    // Needs the built console and Chromium; fills its own cache files, no database.
    ['screens', await optional('screens.ts', 'benchScreens')]
  ]
  const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL
  const report: BenchReport = { startedAt: new Date().toISOString(), finishedAt: '', machine: machine(), sections: [], failures: [] }
  for (const [id, run] of modules) {
    if (!run || (only.length > 0 && !only.includes(id))) continue
    const log = (line: string) => console.log(`[${id}] ${line}`)
    log('running…')
    try {
      const startedAt = new Date().toISOString()
      const section = await run({ log, onLog: log, adminUrl })
      report.sections.push({ ...section, measured: { startedAt, finishedAt: new Date().toISOString() } })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      log(`failed: ${message}`)
      report.failures.push({ id, message })
    }
  }
  report.finishedAt = new Date().toISOString()
  const results = path.join(here, 'results')
  const written = await writeReport(results, only.length > 0 ? await mergeWithPrevious(results, report) : report)
  console.log(`Wrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.markdown)}`)
  if (report.failures.length > 0) process.exitCode = 1
}

await main()
