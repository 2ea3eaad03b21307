import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { connectionConfig, makeOperator, makeTenants, uniqueRoleName, withAdmin, withClient, type TenantSeed } from '../helpers/db'

// `npm run operator` against the run's real server: list and remove, and a bad tenant or group
// answered with one sentence (never a raw PostgreSQL error), with nothing created.

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function databaseUrl(): string {
  const c = connectionConfig()
  const auth = c.password !== undefined ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` : encodeURIComponent(c.user)
  return `postgres://${auth}@${c.host}:${c.port}/${c.database}?sslmode=disable`
}

function runOperator(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/operator.ts', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl() }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

const roleExists = (name: string) => withAdmin(async (c) => (await c.query('select 1 from pg_roles where rolname = $1', [name])).rowCount === 1)
const password = randomBytes(18).toString('base64url')
/** One line, no SQLSTATE, no PostgreSQL wording. */
const aSentence = (text: string) => {
  expect(text.trim().split('\n')).toHaveLength(1)
  expect(text).not.toMatch(/invalid input syntax|violates|SQLSTATE|error:|at .*\.ts/i)
}

let tenants: TenantSeed[]
beforeAll(async () => {
  tenants = await makeTenants(2, 'opcli')
})

describe('npm run operator', () => {
  it('adds an operator with tenants, lists it, and removes it with its assignments and grants in force', async () => {
    const name = uniqueRoleName('cli_support')
    const added = await runOperator(['add', name, '--role', 'support', '--role', 'finance', '--tenant', tenants[0]!.id], `${password}\n`)
    expect(added).toMatchObject({ code: 0 })
    // A grant in force, requested by the operator himself.
    await withClient(connectionConfig({ name, password }), (c) => c.query(`select app.request_break_glass($1, 'Checking the bot after a phone call', 30)`, [tenants[1]!.id]))

    const listed = await runOperator(['list'])
    expect(listed.code).toBe(0)
    const line = listed.stdout.split('\n').find((l) => l.startsWith(`${name}\t`))
    expect(line).toBe(`${name}\tfinance, support\t${tenants[0]!.slug}; break-glass in force: 1`)

    const removed = await runOperator(['remove', name])
    expect(removed).toMatchObject({ code: 0, stdout: `Operator ${name} removed. Tenant assignments removed: 1; break-glass grants ended: 1.\n` })
    expect(await roleExists(name)).toBe(false)
    const left = await withAdmin(async (c) => (await c.query(
      `select (select count(*)::int from operator_tenants where operator = $1) as assigned,
              (select count(*)::int from break_glass_grants where operator = $1 and expires_at > statement_timestamp()) as in_force,
              (select end_reason from break_glass_grants where operator = $1) as reason`, [name])).rows[0])
    expect(left).toEqual({ assigned: 0, in_force: 0, reason: 'The operator was removed (npm run operator -- remove).' })
    expect((await runOperator(['list'])).stdout).not.toContain(name)
  })

  it('answers a bad tenant, a missing tenant and a bad group with a sentence, and creates nothing', async () => {
    const name = uniqueRoleName('cli_bad')
    const notUuid = await runOperator(['add', name, '--role', 'support', '--tenant', 'farmacia'], `${password}\n`)
    expect(notUuid.code).toBe(1)
    expect(notUuid.stderr).toBe(`"farmacia" is not a tenant id: give the tenant's UUID, or all.\n`)
    const missing = await runOperator(['add', name, '--role', 'support', '--tenant', '00000000-0000-4000-8000-000000000000'], `${password}\n`)
    expect(missing).toMatchObject({ code: 1, stderr: 'No tenant has the id 00000000-0000-4000-8000-000000000000 in this database.\n' })
    const group = await runOperator(['add', name, '--role', 'suport'], `${password}\n`)
    expect(group).toMatchObject({ code: 1, stderr: `Unknown group "suport": an operator's groups are support, moderator, finance and admin.\n` })
    const allForSupport = await runOperator(['add', name, '--role', 'support', '--tenant', 'all'], `${password}\n`)
    expect(allForSupport.code).toBe(1)
    for (const run of [notUuid, missing, group, allForSupport]) aSentence(run.stderr)
    expect(await roleExists(name)).toBe(false)
  })

  it('refuses to remove anything but an operator of this database', async () => {
    const owner = (await withAdmin((c) => c.query<{ p: string }>('select app.role_prefix() as p'))).rows[0]!.p
    for (const target of [`${owner}_owner`, `${owner}_admin`, 'postgres', uniqueRoleName('nobody')]) {
      const run = await runOperator(['remove', target])
      expect(run).toMatchObject({ code: 1, stderr: `There is no operator named ${target} in this database.\n` })
      aSentence(run.stderr)
    }
    expect(await roleExists(`${owner}_owner`)).toBe(true)
    const still = await makeOperator(['finance'])
    expect((await runOperator(['list'])).stdout).toContain(`${still.name}\tfinance\tno tenants`)
  })
})
