import type pg from 'pg'
import { inject } from 'vitest'
import { migrate } from '../../src/main/db/migrate'
import type { ConnectionConfig } from '../../src/main/db/types'
import { connectClient, withClient } from '../helpers/db'

/**
 * Seed tests load whole data sets, so each gets its own database on the run's server instead
 * of the shared one (which other suites fill with their own fixtures). All of them share one
 * role prefix derived from the run's, so the global teardown drops the roles in any case.
 */
export function seedRolePrefix(suffix = 'seed'): string {
  return `${inject('db').rolePrefix}_${suffix}`
}

function adminConfig(database: string): ConnectionConfig {
  const db = inject('db')
  return { host: db.host, port: db.port, database, user: db.adminUser, password: db.adminPassword, sslMode: 'disable' }
}

function onMaintenance<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(adminConfig('postgres'), fn)
}

export interface SeedTestDatabase {
  config: ConnectionConfig
  url: string
  client(): Promise<pg.Client>
  drop(): Promise<void>
}

export async function freshDatabase(label: string, rolePrefix = seedRolePrefix()): Promise<SeedTestDatabase> {
  const database = `${inject('db').database}_${label}`
  await onMaintenance(async (c) => {
    await c.query(`drop database if exists ${c.escapeIdentifier(database)} with (force)`)
    await c.query(`create database ${c.escapeIdentifier(database)}`)
  })
  const config = adminConfig(database)
  await migrate(config, { rolePrefix })
  const db = inject('db')
  return {
    config,
    url: `postgres://${encodeURIComponent(db.adminUser)}:${encodeURIComponent(db.adminPassword)}@${db.host}:${db.port}/${database}`,
    client: () => connectClient(config),
    drop: () => onMaintenance((c) => c.query(`drop database if exists ${c.escapeIdentifier(database)} with (force)`).then(() => undefined))
  }
}

/** Drops the seed tests' roles (after their databases are gone: roles that own objects cannot go). */
export async function dropRoles(rolePrefix = seedRolePrefix()): Promise<void> {
  await onMaintenance(async (c) => {
    const { rows } = await c.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1 escape '\\'`, [`${rolePrefix.replaceAll('_', '\\_')}\\_%`])
    for (const { rolname } of rows) await c.query(`drop role if exists ${c.escapeIdentifier(rolname)}`)
  })
}
