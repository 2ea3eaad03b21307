// Reads the type check status, the vitest and Playwright JSON reports and the list of temp files left
// behind (scripts/leftovers.mjs), all written by scripts/test.sh,
// and prints one line per suite, the failures, the skip reasons, then the final line
// `N passed, N failed, N skipped`. Exits non-zero on any failure or missing report: a suite that
// did not report counts as one failure rather than silently as zero tests.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

const dir = process.argv[2] ?? 'test-results'

function readJson(file) {
  const full = path.join(dir, file)
  if (!existsSync(full)) return null
  try {
    return JSON.parse(readFileSync(full, 'utf8'))
  } catch {
    return null
  }
}

function typecheck() {
  const full = path.join(dir, 'typecheck.status')
  const status = existsSync(full) ? readFileSync(full, 'utf8').trim() : 'missing'
  return { name: 'type check', passed: status === 'passed' ? 1 : 0, failed: status === 'passed' ? 0 : 1, skipped: 0, failures: status === 'passed' ? [] : ['tsc --noEmit'], skips: [] }
}

/** scripts/leftovers.mjs: every temp file or folder the run left behind is one failure. */
function leftovers() {
  const full = path.join(dir, 'leftovers.txt')
  const check = { name: 'temp files left behind', passed: 0, failed: 0, skipped: 0, failures: [], skips: [] }
  if (!existsSync(full)) return { ...check, failed: 1, failures: ['the leftover check did not run'] }
  const left = readFileSync(full, 'utf8').split('\n').filter(Boolean)
  return left.length ? { ...check, failed: left.length, failures: left } : { ...check, passed: 1 }
}

/**
 * vitest's JSON reporter (jest-compatible). A file can fail without a failed test: it did not load,
 * or a beforeAll threw (its tests then show as skipped); that counts as one failure.
 */
function vitest() {
  const report = readJson('vitest.json')
  const suite = { name: 'vitest', passed: 0, failed: 0, skipped: 0, failures: [], skips: [] }
  if (!report) return { ...suite, failed: 1, failures: ['no vitest report (vitest did not run or crashed)'] }
  for (const file of report.testResults ?? []) {
    const relative = path.relative(process.cwd(), file.name ?? '')
    const assertions = file.assertionResults ?? []
    if (file.status === 'failed' && !assertions.some((test) => test.status === 'failed')) {
      suite.failed++
      suite.failures.push(`${relative}: ${firstLine(file.message) || 'failed outside its tests'}`)
    }
    for (const test of assertions) {
      if (test.status === 'passed') suite.passed++
      else if (test.status === 'failed') {
        suite.failed++
        suite.failures.push(`${relative} › ${test.fullName ?? test.title}`)
      } else {
        suite.skipped++
        // fullName carries the describe title, where a suite skipped as a whole states its reason.
        suite.skips.push(`${relative} › ${test.fullName ?? test.title}`)
      }
    }
  }
  return suite
}

/** Playwright's JSON reporter; errors outside tests (global setup) count as failures. */
function playwright() {
  const report = readJson('playwright.json')
  const suite = { name: 'playwright', passed: 0, failed: 0, skipped: 0, failures: [], skips: [] }
  if (!report) return { ...suite, failed: 1, failures: ['no Playwright report (the build failed, or Playwright did not run)'] }
  const visit = (node, titles) => {
    for (const spec of node.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const title = [...titles, spec.title].filter(Boolean).join(' › ')
        if (test.status === 'expected' || test.status === 'flaky') suite.passed++
        else if (test.status === 'skipped') {
          suite.skipped++
          const reason = [...(test.annotations ?? []), ...(spec.annotations ?? [])].find((a) => a.type === 'skip')?.description
          suite.skips.push(`${title}${reason ? ` (${reason})` : ''}`)
        } else {
          suite.failed++
          suite.failures.push(title)
        }
      }
    }
    for (const child of node.suites ?? []) visit(child, [...titles, child.title])
  }
  for (const top of report.suites ?? []) visit(top, [top.title])
  for (const error of report.errors ?? []) {
    suite.failed++
    suite.failures.push(`outside any test: ${firstLine(error.message)}`)
  }
  return suite
}

function firstLine(text) {
  return String(text ?? '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .find((line) => line.trim())
    ?.trim()
    .slice(0, 200) ?? ''
}

const suites = [typecheck(), vitest(), playwright(), leftovers()]
console.log('\n== summary')
for (const suite of suites) {
  console.log(`${suite.name}: ${suite.passed} passed, ${suite.failed} failed, ${suite.skipped} skipped`)
  for (const failure of suite.failures.slice(0, 30)) console.log(`  ✗ ${failure}`)
  for (const skip of suite.skips.slice(0, 30)) console.log(`  - skipped: ${skip}`)
  if (suite.skips.length > 30) console.log(`  - … and ${suite.skips.length - 30} more skipped`)
}
const total = (key) => suites.reduce((sum, suite) => sum + suite[key], 0)
console.log(`${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`)
process.exit(total('failed') > 0 ? 1 : 0)
