import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findMigrationsDir, migrate } from '../../src/main/db/migrate'
import { CAPABILITIES, CAPABILITY_NAMES, OPERATOR_GROUPS } from '../../src/shared/capabilities'
import pg from 'pg'
import { connectionConfig, testDb, withAdmin } from '../helpers/db'
import { dropTestDatabase } from '../setup/global-db'
import { compareWithGrants } from './compare'

describe('the capability table', () => {
  it('gives a reason for every capability some group lacks', () => {
    for (const name of CAPABILITY_NAMES) {
      const rule: { groups: readonly string[]; denial?: string } = CAPABILITIES[name]
      expect(rule.denial !== undefined, name).toBe(rule.groups.length < OPERATOR_GROUPS.length)
    }
  })

  it('agrees with the grants of the migrated database, for every group', async () => {
    expect(await withAdmin((admin) => compareWithGrants(admin, testDb().rolePrefix))).toEqual([])
  })
})

/** The line of migrations/002 that lets admins change tenant limits (tenants.editLimits). */
const LIMITS_GRANT = "  execute format('grant insert, update on public.tenant_limits to %s', app.role_list('admin'));"

describe('a migration that loses a grant', () => {
  const run = testDb()
  const scratch = { ...run, database: `${run.database}_grants_${randomBytes(3).toString('hex')}`, rolePrefix: `${run.rolePrefix}_scr` }
  let folder: string

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'avc-grants-'))
    const migrations = path.join(folder, 'migrations')
    await cp(findMigrationsDir(), migrations, { recursive: true })
    const file = path.join(migrations, '002_tenant_data.sql')
    const text = await readFile(file, 'utf8')
    const lines = text.split('\n')
    expect(lines.filter((line) => line === LIMITS_GRANT)).toHaveLength(1)
    await writeFile(file, lines.filter((line) => line !== LIMITS_GRANT).join('\n'))
    await withAdmin((admin) => admin.query(`create database ${admin.escapeIdentifier(scratch.database)}`))
    await migrate({ ...connectionConfig(), database: scratch.database }, { rolePrefix: scratch.rolePrefix, migrationsDir: migrations })
  })

  afterAll(async () => {
    await dropTestDatabase(scratch)
    await rm(folder, { recursive: true, force: true })
  })

  it('makes the comparison report the capability that needed it', async () => {
    const client = new pg.Client({ ...connectionConfig(), database: scratch.database, ssl: false })
    await client.connect()
    const found = await compareWithGrants(client, scratch.rolePrefix).finally(() => client.end())
    expect(found).toEqual([{ capability: 'tenants.editLimits', group: 'admin', table: true, database: false }])
  })
})
