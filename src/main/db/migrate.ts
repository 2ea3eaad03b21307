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
 * transaction, checksummed). Refuses a database migrated by a newer console.
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
    const log = options.log
    const applied = await runMigrations({ client }, dir, log ? { logger: log } : {})
    return { applied: applied.map((m) => m.fileName) }
  } catch (error) {
    throw error instanceof RpcError ? error : explainMigrationFailure(error)
  } finally {
    await client.end().catch(() => undefined)
  }
}
