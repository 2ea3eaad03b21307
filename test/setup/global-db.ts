import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate } from '../../src/main/db/migrate'
import { startEmbeddedServer, type EmbeddedServer } from '../helpers/embedded-pg'
import { holdNeighbourTransaction } from './neighbour'

export interface TestDatabase {
  url: string
  host: string
  port: number
  database: string
  adminUser: string
  adminPassword?: string
  rolePrefix: string
  /** 'local' (the machine's PostgreSQL, trust auth) or 'embedded' (PG 18, scram-sha-256). */
  server: 'local' | 'embedded'
}

declare module 'vitest' {
  export interface ProvidedContext {
    db: TestDatabase
  }
}

const LOCAL = { host: '127.0.0.1', port: 5432, user: 'postgres' }

async function localServerAnswers(): Promise<boolean> {
  const client = new pg.Client({ ...LOCAL, database: 'postgres', connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

function adminClient(db: Pick<TestDatabase, 'host' | 'port' | 'adminUser' | 'adminPassword'>, database: string): pg.Client {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.adminUser, password: db.adminPassword, database })
  client.on('error', () => {})
  return client
}

/** Drops the run's database and every role carrying its prefix (roles are cluster-wide). */
export async function dropTestDatabase(db: TestDatabase): Promise<void> {
  const client = adminClient(db, 'postgres')
  await client.connect()
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(db.database)} with (force)`)
    const roles = await client.query<{ rolname: string }>(
      `select rolname from pg_roles where rolname like $1 escape '\\' order by rolname`,
      [`${db.rolePrefix.replaceAll('_', '\\_')}\\_%`]
    )
    for (const { rolname } of roles.rows) {
      await client.query(`drop role if exists ${client.escapeIdentifier(rolname)}`)
    }
  } finally {
    await client.end()
  }
}

/**
 * One fresh database per test run, migrated with a per-run role prefix: the local PostgreSQL
 * when it answers, else an embedded PG 18. Tests read it with inject('db'); operators and
 * roles they create must carry the prefix so the teardown finds them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString('hex')
  const rolePrefix = `t${runId}`
  let embedded: EmbeddedServer | null = null
  let server: TestDatabase['server'] = 'local'
  let host = LOCAL.host
  let port = LOCAL.port
  let adminUser = LOCAL.user
  let adminPassword: string | undefined
  if (!(await localServerAnswers())) {
    embedded = await startEmbeddedServer()
    server = 'embedded'
    ;({ host, port, adminUser, adminPassword } = embedded)
  }
  const database = `avia_test_${runId}`
  const passwordPart = adminPassword ? `:${encodeURIComponent(adminPassword)}` : ''
  const db: TestDatabase = {
    url: `postgres://${adminUser}${passwordPart}@${host}:${port}/${database}`,
    host,
    port,
    database,
    adminUser,
    ...(adminPassword ? { adminPassword } : {}),
    rolePrefix,
    server
  }

  const client = adminClient(db, 'postgres')
  await client.connect()
  await client.query(`create database ${client.escapeIdentifier(database)}`)
  await client.end()
  try {
    await migrate({ host, port, database, user: adminUser, ...(adminPassword ? { password: adminPassword } : {}), sslMode: 'disable' }, { rolePrefix })
  } catch (error) {
    await dropTestDatabase(db)
    await embedded?.stop()
    throw error
  }

  const endNeighbour = process.env.AVIA_TEST_NEIGHBOUR_TX === '1' ? await holdNeighbourTransaction(runId) : null
  project.provide('db', db)
  return async () => {
    await endNeighbour?.()
    await dropTestDatabase(db)
    await embedded?.stop()
  }
}
