import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GLOBAL_FILE, loadWaivers, scanElectronSecurity, type ScanReport } from '../../scripts/electronegativity'

const scratch = mkdtempSync(path.join(tmpdir(), 'avc-eng-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('electronegativity on src', () => {
  let report: ScanReport
  beforeAll(async () => {
    report = await scanElectronSecurity({ input: 'src', sarifPath: path.join(scratch, 'src.sarif'), waivers: loadWaivers() })
  }, 120_000)

  it('writes a SARIF 2.1.0 report with one result per finding', () => {
    const sarif = JSON.parse(readFileSync(report.sarifPath, 'utf8')) as { version: string; runs: { tool: { driver: { name: string } }; results: unknown[] }[] }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0]!.tool.driver.name).toBe('Electronegativity')
    expect(sarif.runs[0]!.results).toHaveLength(report.findings.length)
  })

  it('has no finding of medium severity or higher that a waiver does not explain', () => {
    expect(report.unwaived, JSON.stringify(report.unwaived, null, 2)).toEqual([])
  })

  it('every waiver still matches a finding', () => {
    expect(report.staleWaivers).toEqual([])
  })

  it('the window settings themselves raise nothing (the options are a literal the scanner reads)', () => {
    const windowChecks = ['CONTEXT_ISOLATION_JS_CHECK', 'NODE_INTEGRATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'AUXCLICK_JS_CHECK', 'INSECURE_CONTENT_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']
    expect(report.findings.filter((f) => windowChecks.includes(f.check))).toEqual([])
  })
})

describe('the gate fails on what it should', () => {
  const insecure = path.join(scratch, 'insecure-app')
  let report: ScanReport
  beforeAll(async () => {
    mkdirSync(insecure)
    writeFileSync(
      path.join(insecure, 'main.js'),
      "const { BrowserWindow } = require('electron')\nconst win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })\nwin.loadURL('http://example.com/')\n"
    )
    const waived = { check: 'SANDBOX_JS_CHECK', file: path.relative(process.cwd(), path.join(insecure, 'main.js')).split(path.sep).join('/'), reason: 'fixture: this waiver must silence exactly this one check' }
    const stale = { check: 'DANGEROUS_FUNCTIONS_JS_CHECK', file: 'nowhere.js', reason: 'fixture: a waiver that matches nothing must be reported' }
    report = await scanElectronSecurity({ input: insecure, sarifPath: path.join(scratch, 'insecure.sarif'), waivers: [waived, stale] })
  }, 120_000)

  it('an insecure BrowserWindow yields unwaived high-severity findings', () => {
    const checks = report.unwaived.map((f) => f.check)
    expect(checks).toContain('CONTEXT_ISOLATION_JS_CHECK')
    expect(checks).toContain('HTTP_RESOURCES_JS_CHECK')
    expect(report.unwaived.find((f) => f.check === 'CONTEXT_ISOLATION_JS_CHECK')?.severity).toBe('HIGH')
    // No will-navigate handler and no permission handler anywhere: application-wide findings.
    expect(report.unwaived.find((f) => f.check === 'LIMIT_NAVIGATION_GLOBAL_CHECK')).toMatchObject({ severity: 'HIGH', file: GLOBAL_FILE })
  })

  it('a waiver silences exactly its check in its file; a stale one is reported', () => {
    expect(report.findings.map((f) => f.check)).toContain('SANDBOX_JS_CHECK')
    expect(report.unwaived.map((f) => f.check)).not.toContain('SANDBOX_JS_CHECK')
    expect(report.staleWaivers.map((w) => w.check)).toEqual(['DANGEROUS_FUNCTIONS_JS_CHECK'])
  })

  it('a waiver without a real reason is refused', () => {
    const file = path.join(scratch, 'waivers.json')
    writeFileSync(file, JSON.stringify({ waivers: [{ check: 'PRELOAD_JS_CHECK', file: 'src/x.ts', reason: 'ok' }] }))
    expect(() => loadWaivers(file)).toThrow(/reason/)
  })
})
