import { randomBytes, randomUUID } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createDatabase, type DatabaseOptions } from '../../src/main/db/database'
import { assignTenant, createOperator, type OperatorGroup } from '../../src/main/db/operators'
import type { ConnectionConfig, Database } from '../../src/main/db/types'

export function testDb() {
  return inject('db')
}

/** Connection settings for the run's database as `user` (the admin by default). */
export function connectionConfig(user?: { name: string; password: string }): ConnectionConfig {
  const db = testDb()
  const password = user ? user.password : db.adminPassword
  return {
    host: db.host,
    port: db.port,
    database: db.database,
    user: user?.name ?? db.adminUser,
    ...(password !== undefined ? { password } : {}),
    sslMode: 'disable'
  }
}

/** A connected client for `config` (the test servers speak no TLS). */
export async function connectClient(config: ConnectionConfig): Promise<pg.Client> {
  const client = new pg.Client({ ...config, ssl: false })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** Runs `fn` on a client for `config` and closes it, whatever `fn` does. */
export async function withClient<T>(config: ConnectionConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectClient(config)
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A connected superuser client on the run's database (it bypasses RLS: for setup only). */
export function adminClient(): Promise<pg.Client> {
  return connectClient(connectionConfig())
}

export function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(connectionConfig(), fn)
}

/** A name that carries the run's role prefix (the teardown drops every such role). */
export function uniqueRoleName(label: string): string {
  return `${testDb().rolePrefix}_${label}_${randomBytes(3).toString('hex')}`
}

export function roleName(group: string): string {
  return `${testDb().rolePrefix}_${group}`
}

export interface TestOperator {
  name: string
  password: string
  config: ConnectionConfig
  /** The console's data layer logged in as this operator. */
  database(options?: DatabaseOptions): Database
  /** A raw client logged in as this operator (for statements outside withTenant). */
  client(): Promise<pg.Client>
  /** Runs `fn` on such a client and closes it. */
  withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T>
}

export async function makeOperator(groups: OperatorGroup[], tenants: (string | null)[] = [], label = groups.join('_')): Promise<TestOperator> {
  const name = uniqueRoleName(label)
  const password = randomBytes(18).toString('base64url')
  await withAdmin(async (admin) => {
    await createOperator(admin, { name, groups, password })
    for (const tenant of tenants) await assignTenant(admin, name, tenant)
  })
  const config = connectionConfig({ name, password })
  return {
    name,
    password,
    config,
    database: (options) => createDatabase(config, options),
    client: () => connectClient(config),
    withClient: (fn) => withClient(config, fn)
  }
}

export interface TenantSeed {
  id: string
  slug: string
}

/** Inserts tenants as the admin (row stamps and audit rows say 'postgres'). */
export async function makeTenants(count: number, label = 'tenant'): Promise<TenantSeed[]> {
  const tenants = Array.from({ length: count }, () => {
    const id = randomUUID()
    return { id, slug: `${label}-${id.slice(0, 8)}` }
  })
  await withAdmin((admin) =>
    admin.query(`insert into tenants (id, slug, name) select id, slug, 'Tenant ' || slug from unnest($1::uuid[], $2::text[]) t(id, slug)`, [
      tenants.map((t) => t.id),
      tenants.map((t) => t.slug)
    ])
  )
  return tenants
}

export async function makeTenant(label = 'tenant'): Promise<TenantSeed> {
  const [tenant] = await makeTenants(1, label)
  return tenant!
}
