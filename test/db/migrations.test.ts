import { randomBytes } from 'node:crypto'
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createDatabase } from '../../src/main/db/database'
import { findMigrationsDir, migrate } from '../../src/main/db/migrate'
import { createOperator } from '../../src/main/db/operators'
import type { ConnectionConfig } from '../../src/main/db/types'
import { dropTestDatabase, type TestDatabase } from '../setup/global-db'
import { startEmbeddedServer, type EmbeddedServer } from '../helpers/embedded-pg'

const MIGRATION_FILES = readdirSync(findMigrationsDir()).filter((f) => f.endsWith('.sql')).sort()

interface Target {
  config: ConnectionConfig
  testDb: Parameters<typeof dropTestDatabase>[0]
}

async function freshDatabase(server: Pick<TestDatabase, 'host' | 'port' | 'adminUser' | 'adminPassword'>): Promise<Target> {
  const id = randomBytes(4).toString('hex')
  const database = `avia_mig_${id}`
  const config: ConnectionConfig = {
    host: server.host,
    port: server.port,
    database,
    user: server.adminUser,
    password: server.adminPassword,
    sslMode: 'disable'
  }
  const client = new pg.Client({ ...config, database: 'postgres' })
  await client.connect()
  await client.query(`create database ${database}`)
  await client.end()
  return {
    config,
    testDb: { host: server.host, port: server.port, database, adminUser: server.adminUser, adminPassword: server.adminPassword, rolePrefix: `m${id}` }
  }
}

async function query<T extends pg.QueryResultRow>(config: ConnectionConfig, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(config)
  await client.connect()
  try {
    return (await client.query<T>(sql, params)).rows
  } finally {
    await client.end()
  }
}

function copyMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'avia-migrations-'))
  cpSync(findMigrationsDir(), dir, { recursive: true })
  return dir
}

const runCluster = inject('db')

describe(`migrations on the run's own cluster, the oldest PostgreSQL installed (${runCluster.major})`, () => {
  let target: Target
  const tempDirs: string[] = []
  beforeAll(async () => {
    target = await freshDatabase(runCluster)
  })
  afterAll(async () => {
    if (target) await dropTestDatabase(target.testDb)
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  })

  it('applies every file once, in order, then nothing on a second run', async () => {
    const { server_version_num } = (await query<{ server_version_num: string }>(target.config, 'show server_version_num'))[0]!
    expect(Math.floor(Number(server_version_num) / 10_000)).toBe(runCluster.major)
    expect(runCluster.major).toBeGreaterThanOrEqual(15)
    const first = await migrate(target.config, { rolePrefix: target.testDb.rolePrefix })
    expect(first.applied).toEqual(['0_create-migrations-table.sql', ...MIGRATION_FILES])
    const second = await migrate(target.config, { rolePrefix: target.testDb.rolePrefix })
    expect(second.applied).toEqual([])
    const { prefix } = (await query<{ prefix: string }>(target.config, 'select app.role_prefix() as prefix'))[0]!
    expect(prefix).toBe(target.testDb.rolePrefix)
  })

  it('refuses a changed, already applied file and applies nothing', async () => {
    const dir = copyMigrations()
    tempDirs.push(dir)
    appendFileSync(path.join(dir, MIGRATION_FILES[2]!), '\n-- an innocent-looking edit\n')
    writeFileSync(path.join(dir, `0${MIGRATION_FILES.length + 1}_later.sql`), 'create table should_not_exist (id int);\n')
    await expect(migrate(target.config, { rolePrefix: target.testDb.rolePrefix, migrationsDir: dir })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(MIGRATION_FILES[2]!)
    })
    expect(await query(target.config, `select to_regclass('public.should_not_exist') as t`)).toEqual([{ t: null }])
  })

  it('refuses a database migrated by a newer console', async () => {
    const dir = copyMigrations()
    tempDirs.push(dir)
    unlinkSync(path.join(dir, MIGRATION_FILES.at(-1)!))
    await expect(migrate(target.config, { rolePrefix: target.testDb.rolePrefix, migrationsDir: dir })).rejects.toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      message: expect.stringMatching(/newer console/)
    })
  })

  it('refuses a different role prefix than the one recorded', async () => {
    await expect(migrate(target.config, { rolePrefix: 'someoneelse' })).rejects.toMatchObject({ code: 'INVALID' })
    await expect(migrate(target.config, { rolePrefix: 'Bad-Prefix' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })

  it('rolls a failing migration back completely', async () => {
    const dir = copyMigrations()
    tempDirs.push(dir)
    writeFileSync(path.join(dir, `0${MIGRATION_FILES.length + 1}_broken.sql`), 'create table half_done (id int);\nselect 1/0;\n')
    await expect(migrate(target.config, { rolePrefix: target.testDb.rolePrefix, migrationsDir: dir })).rejects.toThrow(/broken/)
    expect(await query(target.config, `select to_regclass('public.half_done') as t`)).toEqual([{ t: null }])
    const { n } = (await query<{ n: number }>(target.config, 'select count(*)::int as n from migrations'))[0]!
    expect(n).toBe(MIGRATION_FILES.length + 1)
  })
})

describe('migrations on embedded PostgreSQL 18', () => {
  let server: EmbeddedServer
  let target: Target
  beforeAll(async () => {
    server = await startEmbeddedServer()
    target = await freshDatabase(server)
  }, 180_000)
  afterAll(async () => {
    if (target) await dropTestDatabase(target.testDb).catch(() => undefined)
    await server?.stop()
  })

  it('applies every file, re-applies as a no-op, and checks real SCRAM passwords', async () => {
    const { server_version_num } = (await query<{ server_version_num: string }>(target.config, 'show server_version_num'))[0]!
    expect(Number(server_version_num)).toBeGreaterThanOrEqual(180000)
    expect((await migrate(target.config, { rolePrefix: target.testDb.rolePrefix })).applied).toHaveLength(MIGRATION_FILES.length + 1)
    expect((await migrate(target.config, { rolePrefix: target.testDb.rolePrefix })).applied).toEqual([])

    const name = `${target.testDb.rolePrefix}_op_scram`
    const password = randomBytes(16).toString('hex')
    const admin = new pg.Client(target.config)
    await admin.connect()
    try {
      await createOperator(admin, { name, groups: ['support'], password })
      const { rolpassword } = (await admin.query<{ rolpassword: string }>('select rolpassword from pg_authid where rolname = $1', [name])).rows[0]!
      expect(rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/)
    } finally {
      await admin.end()
    }
    const good = createDatabase({ ...target.config, user: name, password })
    const bad = createDatabase({ ...target.config, user: name, password: `${password}x` })
    try {
      expect(await good.withPlatform(async (c) => (await c.query<{ g: string[] }>('select app.my_groups() as g')).rows[0]!.g)).toEqual(['support'])
      await expect(bad.withPlatform(async () => 1)).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    } finally {
      await good.close()
      await bad.close()
    }
  })
})
