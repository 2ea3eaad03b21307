// Lists what a test run left behind: anything in the run's own temp folder (scripts/test.sh points
// TMPDIR there) other than the caches of the tools that run the tests, and embedded PostgreSQL
// folders that the demo code moved to /var/tmp (src/main/demo/cluster-dir.ts) since the run began.
// Usage: node scripts/leftovers.mjs RUN_TMPDIR STARTED_FILE OUTPUT_FILE
// Writes one path per line to OUTPUT_FILE (empty when nothing was left) for the test summary.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const [runTmp, startedFile, output] = process.argv.slice(2)
if (!runTmp || !startedFile || !output) {
  console.error('usage: node scripts/leftovers.mjs RUN_TMPDIR STARTED_FILE OUTPUT_FILE')
  process.exit(64)
}

/** Compile caches that tsx, jiti and Playwright keep in the temp folder on purpose, to reuse them. */
const TOOL_CACHES = [/^tsx-\d+$/, /^jiti$/, /^playwright-transform-cache(-\d+)?$/]
/** Where cluster-dir.ts puts a demo cluster whose data directory the 'postgres' user cannot enter. */
const RELOCATED = { dir: '/var/tmp', name: /^agente-virtual-console-[0-9a-f]+$/ }

const started = statSync(startedFile).mtimeMs
const left = [
  ...readdirSync(runTmp)
    .filter((name) => !TOOL_CACHES.some((cache) => cache.test(name)))
    .map((name) => path.join(runTmp, name)),
  ...(existsSync(RELOCATED.dir) ? readdirSync(RELOCATED.dir) : [])
    .filter((name) => RELOCATED.name.test(name))
    .map((name) => path.join(RELOCATED.dir, name))
    .filter((full) => statSync(full).mtimeMs >= started)
]
writeFileSync(output, left.map((full) => `${full}\n`).join(''))
if (left.length > 0) {
  console.error(`The test run left ${left.length} temp file(s) or folder(s) behind:`)
  for (const full of left) console.error(`  ${full}`)
}
