import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { migrate as runMigrations } from 'postgres-migrations'
import { RpcError } from '../../shared/rpc/errors'
import { toClientConfig } from './connection'
import { toRpcError } from './errors'
import type { ConnectionConfig } from './types'

/**
 * This module runs from src/main/db (tsx, vitest) and from the flat bundle in out/main, so the
 * folder is found by walking up to the project root rather than by a fixed relative path. A
 * packaged Electron app finds them in its resources folder.
 */
export function findMigrationsDir(): string {
  // A packaged Electron app ships them as extraResources (electron-builder.yml).
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources && existsSync(path.join(resources, 'migrations'))) return path.join(resources, 'migrations')
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, 'migrations')
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) throw new RpcError('INTERNAL', 'The migrations folder was not found next to the console.')
    dir = parent
  }
}

const ROLE_PREFIX_PATTERN = /^[a-z][a-z0-9_]{0,40}$/

export interface MigrateOptions {
  /** Prefix of the roles the schema creates (`<prefix>_owner` …); recorded by the first migration. */
  rolePrefix?: string
  migrationsDir?: string
  log?: (message: string) => void
}

function highestMigrationId(dir: string): number {
  const ids = readdirSync(dir)
    .map((name) => /^(\d+)[-_].*\.sql$/i.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
  return Math.max(0, ...ids)
}

async function refuseNewerSchema(client: pg.Client, newestKnown: number): Promise<void> {
  const exists = await client.query<{ present: boolean }>(`select to_regclass('public.migrations') is not null as present`)
  if (!exists.rows[0]?.present) return
  const applied = await client.query<{ id: number; name: string }>('select id, name from public.migrations where id > $1 order by id', [newestKnown])
  const newest = applied.rows.at(-1)
  if (newest) {
    throw new RpcError(
      'SCHEMA_TOO_NEW',
      `This database was migrated by a newer console (migration ${newest.id} "${newest.name}"; this console knows up to ${newestKnown}). Update the console before connecting to it.`
    )
  }
}

async function refuseOtherRolePrefix(client: pg.Client, rolePrefix: string): Promise<void> {
  const recorded = await client.query<{ role_prefix: string }>(
    `select role_prefix from public.app_installation where to_regclass('public.app_installation') is not null`
  ).catch(() => ({ rows: [] as { role_prefix: string }[] }))
  const existing = recorded.rows[0]?.role_prefix
  if (existing !== undefined && existing !== rolePrefix) {
    throw new RpcError('INVALID', `This database uses the role prefix "${existing}", not "${rolePrefix}".`)
  }
}

/**
 * Before PostgreSQL 15 every role could create objects in schema public, and upgraded or restored
 * databases keep that grant: an operator could plant a function there that shadows a built-in.
 * The migrations revoke it, which only the schema's owner (or a superuser) can do; for any other
 * role REVOKE is a mere warning, so such a database is refused before anything is applied.
 */
async function closePublicSchema(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ open: boolean; can_revoke: boolean; owner: string; migrator: string }>(
    `select has_schema_privilege('public', n.oid, 'CREATE') as open,
            pg_has_role(current_user, n.nspowner, 'USAGE') as can_revoke,
            pg_get_userbyid(n.nspowner) as owner, current_user as migrator
       from pg_namespace n where n.nspname = 'public'`
  )
  const schema = rows[0]
  if (!schema?.open) return
  if (!schema.can_revoke) {
    throw new RpcError(
      'INVALID',
      `Every role may create objects in schema public of this database, and ${schema.migrator} cannot revoke that (the schema belongs to ${schema.owner}). ` +
        `Run "REVOKE CREATE ON SCHEMA public FROM PUBLIC" as ${schema.owner}, or migrate as ${schema.owner}.`
    )
  }
  await client.query('revoke create on schema public from public')
}

function explainMigrationFailure(error: unknown): RpcError {
  const message = error instanceof Error ? error.message : String(error)
  if (/Hashes don't match/.test(message)) {
    const file = /migrations '([^']+)'/.exec(message)?.[1] ?? 'a migration'
    return new RpcError('CONFLICT', `Migration file ${file} changed after it was applied to this database; applied migrations must never be edited.`)
  }
  const cause = (error as { cause?: unknown }).cause
  const mapped = toRpcError(cause ?? error)
  if (mapped.code !== 'INTERNAL') return mapped
  return new RpcError('INTERNAL', `Migration failed: ${message}`)
}

/**
 * Applies the numbered SQL migrations (postgres-migrations: each file once, in its own
 * transaction, checksummed). Refuses a database migrated by a newer console, and one whose schema
 * public every role may write and this role cannot close.
 */
export async function migrate(config: ConnectionConfig, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const rolePrefix = options.rolePrefix ?? 'avia'
  if (!ROLE_PREFIX_PATTERN.test(rolePrefix)) {
    throw new RpcError('BAD_INPUT', 'The role prefix must be lowercase letters, digits and underscores, starting with a letter.')
  }
  const dir = options.migrationsDir ?? findMigrationsDir()
  // The prefix reaches migration 1 as a startup option, i.e. before any statement runs.
  const client = new pg.Client({ ...toClientConfig(config), options: `-c avia.role_prefix=${rolePrefix}` })
  client.on('error', () => {
    // A dropped connection surfaces as the failure of the pending query.
  })
  try {
    await client.connect()
  } catch (error) {
    throw toRpcError(error)
  }
  try {
    await refuseNewerSchema(client, highestMigrationId(dir))
    await refuseOtherRolePrefix(client, rolePrefix)
    await closePublicSchema(client)
    const log = options.log
    const applied = await runMigrations({ client }, dir, log ? { logger: log } : {})
    return { applied: applied.map((m) => m.fileName) }
  } catch (error) {
    throw error instanceof RpcError ? error : explainMigrationFailure(error)
  } finally {
    await client.end().catch(() => undefined)
  }
}
