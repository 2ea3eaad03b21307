import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoOperatorName } from '../../src/main/demo/seed'
import { dropRoles, freshDatabase, seedRolePrefix, type SeedTestDatabase } from './databases'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function runSeed(args: string[], env: Record<string, string | undefined>, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

const prefix = seedRolePrefix('cli')
let db: SeedTestDatabase

beforeAll(async () => {
  db = await freshDatabase('seed_cli', prefix)
}, 120_000)

afterAll(async () => {
  await db?.drop()
  await dropRoles(prefix)
})

describe('npm run seed', () => {
  it('refuses a missing scale or a bad seed with a usage message', async () => {
    const noScale = await runSeed([], { DATABASE_URL: db.url })
    expect(noScale.code).toBe(1)
    expect(noScale.stderr).toContain('BAD_INPUT: usage: npm run seed -- --scale demo|bench')
    const badSeed = await runSeed(['--scale', 'demo', '--seed', 'x'], { DATABASE_URL: db.url })
    expect(badSeed.code).toBe(1)
    expect(badSeed.stderr).toContain('--seed must be a non-negative integer')
  })

  it('loads the demo with plain progress lines when stderr is not a terminal, and creates the operators', async () => {
    const password = randomBytes(18).toString('base64url')
    const run = await runSeed(['--scale', 'demo', '--seed', '3', '--operator-password-stdin'], { DATABASE_URL: db.url }, `${password}\n`)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^tenants\s+30$/m)
    expect(run.stdout).toMatch(/^executions\s+2,400$/m)
    expect(run.stdout).toContain(demoOperatorName(prefix, 'moderator'))
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('seed: '))
    expect(lines.some((l) => /audit_logs [\d,]+\/[\d,]+ · total .* rows\/s · ETA/.test(l))).toBe(true)
    expect(lines.at(-1)).toMatch(/^seed: loaded [\d,]+ rows \(demo, seed 3\) in \d+s$/)
    expect(run.stderr).not.toContain('\r')
    expect(run.stderr).not.toContain(password)
    expect(run.stdout).not.toContain(password)
  }, 120_000)

  it('fails with a clear message on a database that already has data', async () => {
    const again = await runSeed(['--scale', 'demo'], { DATABASE_URL: db.url })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('CONFLICT: The database already has tenants')
  }, 60_000)
})
