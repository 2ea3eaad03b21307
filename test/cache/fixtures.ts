import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openCacheForWriting, type CacheDb } from '../../src/main/cache/db'
import { createDatabase } from '../../src/main/db/database'
import type { ConnectionConfig, Database } from '../../src/main/db/types'
import { assignTenant, createOperator } from '../../src/main/db/operators'
import { waitForWatermark as waitUntilPassed } from '../../src/main/cache/sync/pull'
import type { TestDatabase } from '../setup/global-db'

export { assignTenant, unassignTenant } from '../../src/main/db/operators'

/**
 * Server-side data for the cache tests, written as the superuser the harness connects with (RLS
 * does not apply to it), and the operator role the sync runs as (RLS does).
 */

export interface Volume {
  executions: number
  auditLogs: number
  usageRecords: number
}

export async function createTenants(admin: pg.Client, count: number): Promise<string[]> {
  const tag = randomBytes(4).toString('hex')
  const { rows } = await admin.query<{ id: string }>(
    `INSERT INTO tenants (slug, name) SELECT 'cache-' || $1 || '-' || g, 'Cache tenant ' || g FROM generate_series(1, $2) g RETURNING id::text`,
    [tag, count]
  )
  return rows.map((r) => r.id).sort()
}

/** Executions (a seventh of them failed, with a searchable message) with two steps each, audit rows and usage. */
export async function fillTenant(admin: pg.Client, tenantId: string, volume: Volume, startMinutesAgo = 0): Promise<void> {
  await admin.query(`INSERT INTO workflows (tenant_id, name) SELECT $1, 'Workflow ' || g FROM generate_series(1, 4) g`, [tenantId])
  await admin.query(
    `WITH wf AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names FROM workflows WHERE tenant_id = $1)
     INSERT INTO executions (tenant_id, workflow_id, workflow_name, status, input_data, output_data, error_data, error_message,
                             execution_time_ms, started_at, finished_at)
     SELECT $1, wf.ids[1 + g % 4], wf.names[1 + g % 4],
            CASE WHEN g % 7 = 0 THEN 'error' ELSE 'success' END,
            jsonb_build_object('order', g, 'items', jsonb_build_array(g, g + 1)),
            CASE WHEN g % 7 <> 0 THEN jsonb_build_object('ok', true, 'total', g * 3) END,
            CASE WHEN g % 7 = 0 THEN jsonb_build_object('message', 'timeout calling ' || (ARRAY['stripe', 'slack', 'openai'])[1 + g % 3]) END,
            CASE WHEN g % 7 = 0 THEN 'timeout calling ' || (ARRAY['stripe', 'slack', 'openai'])[1 + g % 3] END,
            g % 5000,
            now() - make_interval(mins => $3 + g), now() - make_interval(mins => $3 + g) + interval '2 seconds'
     FROM wf, generate_series(1, $2) g`,
    [tenantId, volume.executions, startMinutesAgo]
  )
  await admin.query(
    `INSERT INTO execution_steps (tenant_id, execution_id, step_index, step_name, status, started_at, completed_at, input_data, output_data)
     SELECT e.tenant_id, e.id, s, 'step ' || s, CASE WHEN e.status = 'error' AND s = 1 THEN 'error' ELSE 'success' END,
            e.started_at, e.finished_at, jsonb_build_object('step', s), jsonb_build_object('done', true)
     FROM executions e, generate_series(0, 1) s WHERE e.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM execution_steps x WHERE x.execution_id = e.id)`,
    [tenantId]
  )
  await admin.query(
    `INSERT INTO audit_logs (tenant_id, actor, action, resource_type, resource_id, old_values, new_values, created_at)
     SELECT $1, (ARRAY['alice', 'bob', 'carol'])[1 + g % 3], (ARRAY['INSERT', 'UPDATE', 'DELETE'])[1 + g % 3],
            (ARRAY['tenants', 'workflows', 'credentials'])[1 + g % 3], gen_random_uuid(),
            jsonb_build_object('plan', 'starter', 'limit', g), jsonb_build_object('plan', CASE WHEN g % 97 = 0 THEN 'zirconium' ELSE 'growth' END, 'limit', g + 1),
            now() - make_interval(mins => $3 + g)
     FROM generate_series(1, $2) g`,
    [tenantId, volume.auditLogs, startMinutesAgo]
  )
  await admin.query(
    `INSERT INTO usage_records (tenant_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
     SELECT $1, (ARRAY['executions', 'ai_calls', 'storage'])[1 + g % 3], g % 50, 0.0125, 'EUR',
            now() - make_interval(hours => g + 1), now() - make_interval(hours => g), now() - make_interval(hours => g)
     FROM generate_series(1, $2) g`,
    [tenantId, volume.usageRecords]
  )
}

export interface SyncOperator {
  role: string
  connection: ConnectionConfig
}

/** A support operator (a real login role with a password) assigned to the given tenants. */
export async function createSyncOperator(admin: pg.Client, db: TestDatabase, tenants: string[]): Promise<SyncOperator> {
  const role = `${db.rolePrefix}_cachesync_${randomBytes(3).toString('hex')}`
  const password = randomBytes(18).toString('base64url')
  await createOperator(admin, { name: role, groups: ['support'], password })
  for (const tenantId of tenants) await assignTenant(admin, role, tenantId)
  return { role, connection: { host: db.host, port: db.port, database: db.database, user: role, password, sslMode: 'disable' } }
}

/** Ends every session of the role: what a dropped connection looks like to the sync. */
export async function terminateSessions(admin: pg.Client, role: string): Promise<number> {
  const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE usename = $1', [role])
  return rows.length
}

export async function dropSyncOperator(admin: pg.Client, role: string): Promise<void> {
  await terminateSessions(admin, role)
  await admin.query('DELETE FROM operator_tenants WHERE operator = $1', [role])
  await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`)
}

export interface SyncScene {
  admin: pg.Client
  operator: SyncOperator
  /** The tenants the operator is assigned to, sorted. */
  tenants: string[]
  /** Filled like the others, but not assigned to the operator. */
  unassigned: string[]
  dir: string
  cacheFile: string
  /** The sync's two ends in this process: the operator's database and the cache file, open for writing; close() closes them. */
  openEnds(): { db: Database; cache: CacheDb }
  /** Closes what openEnds opened, drops the operator, ends the admin session and removes the folder. */
  close(): Promise<void>
}

/**
 * What every sync test starts from: filled tenants on the server (one per volume), an operator
 * assigned to the first ones, and a fresh folder for the cache file. A failure half-way cleans up
 * what was made, since afterAll would not know it.
 */
export async function openSyncScene(db: TestDatabase, setup: { volumes: Volume[]; unassigned?: Volume[]; dirPrefix: string }): Promise<SyncScene> {
  const admin = adminClient(db)
  await admin.connect()
  const dir = mkdtempSync(join(tmpdir(), setup.dirPrefix))
  let operator: SyncOperator | undefined
  const opened: { db: Database; cache: CacheDb }[] = []
  const cacheFile = join(dir, 'cache', 'profile.sqlite')
  const close = async () => {
    for (const { db, cache } of opened) {
      cache.close()
      await db.close()
    }
    if (operator) await dropSyncOperator(admin, operator.role)
    await admin.end()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const tenants = await createTenants(admin, setup.volumes.length)
    const unassigned = setup.unassigned?.length ? await createTenants(admin, setup.unassigned.length) : []
    const volumes = [...setup.volumes, ...(setup.unassigned ?? [])]
    for (const [i, tenantId] of [...tenants, ...unassigned].entries()) await fillTenant(admin, tenantId, volumes[i]!)
    operator = await createSyncOperator(admin, db, tenants)
    const { connection } = operator
    const openEnds = () => {
      const ends = { db: createDatabase(connection), cache: openCacheForWriting(cacheFile) }
      opened.push(ends)
      return ends
    }
    return { admin, operator, tenants, unassigned, dir, cacheFile, openEnds, close }
  } catch (error) {
    await close()
    throw error
  }
}

export function adminClient(db: TestDatabase): pg.Client {
  const client = new pg.Client({ connectionString: db.url })
  client.on('error', () => {})
  return client
}

/**
 * The rows compared between server and cache, per table: the same facts read independently on
 * each side (server expressions here, cache columns there), normalized to text.
 */
const COMPARED: Record<string, { server: string[]; cache: string[] }> = {
  executions: {
    server: ['id::text', 'sync_xid::text', 'workflow_id::text', 'workflow_name', 'status', 'input_data::text', 'output_data::text', 'error_message', 'execution_time_ms', 'floor(extract(epoch from started_at) * 1000)::float8'],
    cache: ['id', 'sync_xid', 'workflow_id', 'workflow_name', 'status', 'input_data', 'output_data', 'error_message', 'execution_time_ms', 'started_at']
  },
  execution_steps: {
    server: ['id::text', 'sync_xid::text', 'execution_id::text', 'step_index', 'step_name', 'status', 'input_data::text'],
    cache: ['id', 'sync_xid', 'execution_id', 'step_index', 'step_name', 'status', 'input_data']
  },
  audit_logs: {
    server: ['id::text', 'sync_xid::text', 'seq', 'actor', 'action', 'resource_type', 'old_values::text', 'new_values::text', 'floor(extract(epoch from created_at) * 1000)::float8'],
    cache: ['id', 'sync_xid', 'seq', 'actor', 'action', 'resource_type', 'old_values', 'new_values', 'created_at']
  },
  usage_records: {
    server: ['id::text', 'sync_xid::text', 'usage_type', 'quantity', 'unit_price::text', 'floor(extract(epoch from recorded_at) * 1000)::float8'],
    cache: ['id', 'sync_xid', 'usage_type', 'quantity', 'unit_price', 'recorded_at']
  }
}
export const COMPARED_TABLES = Object.keys(COMPARED)

export interface TableDigest {
  count: number
  checksum: string
}

function digest(rows: unknown[][]): TableDigest {
  const hash = createHash('sha256')
  for (const row of rows) hash.update(JSON.stringify(row.map((v) => (v === null ? null : String(v)))) + '\n')
  return { count: rows.length, checksum: hash.digest('hex') }
}

/** tenant → table → digest, from the server (as the superuser, so RLS hides nothing). */
export async function serverDigests(admin: pg.Client, tenants: string[]): Promise<Record<string, Record<string, TableDigest>>> {
  const result: Record<string, Record<string, TableDigest>> = {}
  for (const tenantId of tenants) {
    result[tenantId] = {}
    for (const [table, cols] of Object.entries(COMPARED)) {
      const { rows } = await admin.query({ text: `SELECT ${cols.server.join(', ')} FROM ${table} WHERE tenant_id = $1 ORDER BY id`, values: [tenantId], rowMode: 'array' })
      result[tenantId]![table] = digest(rows)
    }
  }
  return result
}

export function cacheDigests(cache: CacheDb, tenants: string[]): Record<string, Record<string, TableDigest>> {
  const result: Record<string, Record<string, TableDigest>> = {}
  for (const tenantId of tenants) {
    result[tenantId] = {}
    for (const [table, cols] of Object.entries(COMPARED)) {
      const rows = cache.prepare(`SELECT ${cols.cache.join(', ')} FROM ${table} WHERE tenant_id = ? ORDER BY id`).raw(true).all(tenantId) as unknown[][]
      result[tenantId]![table] = digest(rows)
    }
  }
  return result
}

/** Rows of every synced table in the cache for tenants outside the given set. */
export function cachedRowsOutside(cache: CacheDb, tenants: string[]): number {
  const list = JSON.stringify(tenants)
  return COMPARED_TABLES.concat('daily_usage_summary').reduce(
    (n, table) => n + (cache.prepare(`SELECT count(*) FROM ${table} WHERE tenant_id NOT IN (SELECT value FROM json_each(?))`).pluck().get(list) as number),
    0
  )
}

/** See waitForWatermark in the sync: other test files share the run's cluster. */
export const waitForWatermark = (admin: pg.Client) => waitUntilPassed(admin, 180_000)
