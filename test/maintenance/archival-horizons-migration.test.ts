import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findMigrationsDir, migrate } from '../../src/main/db/migrate'
import { assignTenant, createOperator } from '../../src/main/db/operators'
import { connectionConfig, testDb, withAdmin } from '../helpers/db'
import { dropTestDatabase } from '../setup/global-db'

/**
 * Migration 028 (found by bench/archival.ts): every archived execution ends up before one of its
 * tenant's purge horizons, so every offline cache drops it. On 014's function a tenant whose newest
 * archived row was the newest of a full batch, with no row in the last batch, kept that row
 * uncovered; the first part shows that on a database migrated up to 027, the rest that 028's next
 * run covers it and that an archival ending on an exactly full batch covers every tenant. A
 * database of its own: a batch takes the oldest rows of every tenant, so the batches' contents
 * must be known.
 */

const run = testDb()
const scratch = { ...run, database: `${run.database}_archzn_${randomBytes(3).toString('hex')}`, rolePrefix: `${run.rolePrefix}_az` }
const MIGRATION = '028_archival_horizons.sql'
const boss = `${scratch.rolePrefix}_boss`
const password = randomBytes(12).toString('hex')
let folder: string
let owner: pg.Client
let admin: pg.Client

/**
 * Archived rows of these tenants that no horizon of their tenant covers, per table: what caches
 * would keep forever. A cache applies a horizon to versions older than it only, so a horizon covers
 * the rows archived no later than itself (runs here are sequential: their start times are in order).
 */
async function uncovered(tenants: string[]): Promise<string[]> {
  const { rows } = await owner.query<{ row: string }>(
    `select t.name || ':' || a.workflow_name as row
       from executions_archive a cross join (values ('executions'), ('execution_steps')) t(name)
      where a.tenant_id = any($1::uuid[])
        and not exists (select 1 from sync_purge_horizons h where h.tenant_id = a.tenant_id and h.table_name = t.name and a.finished_at < h.before_ts
                            and h.created_at >= a.archived_at)
      order by 1`,
    [tenants]
  )
  return rows.map((r) => r.row)
}

/** Tenants named by the keys, each with a workflow and one finished execution per day given (days ago), named `<key><n>`. */
async function load(days: Record<string, number[]>): Promise<Record<string, string>> {
  const ids: Record<string, string> = {}
  for (const [key, ages] of Object.entries(days)) {
    const slug = `az-${key.toLowerCase()}-${randomBytes(3).toString('hex')}`
    const tenant = (await owner.query<{ id: string }>(`insert into tenants (slug, name) values ($1, $1) returning id`, [slug])).rows[0]!.id
    const workflow = (await owner.query<{ id: string }>(`insert into workflows (tenant_id, name) values ($1, 'Archive me') returning id`, [tenant])).rows[0]!.id
    for (const [n, age] of ages.entries()) {
      const finished = `now() - make_interval(days => ${age})`
      const { rows } = await owner.query<{ id: string }>(
        `insert into executions (tenant_id, workflow_id, workflow_name, status, started_at, finished_at)
         values ($1, $2, $3, 'success', ${finished} - interval '1 minute', ${finished}) returning id`,
        [tenant, workflow, `${key}${n + 1}`]
      )
      await owner.query(`insert into execution_steps (tenant_id, execution_id, step_index, step_name, status) values ($1, $2, 0, 'only', 'success')`, [tenant, rows[0]!.id])
    }
    ids[key] = tenant
  }
  return ids
}

/** The job's loop (runner.ts): batches of `size` until one comes back short; the rows of each batch. */
async function archive(size: number): Promise<number[]> {
  const moved: number[] = []
  for (;;) {
    const { rows } = await admin.query<{ n: number }>('select app.archive_executions_batch(90, $1) as n', [size])
    moved.push(rows[0]!.n)
    if (rows[0]!.n < size) return moved
  }
}

let before: Record<string, string>

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'avc-archzn-'))
  const upTo027 = path.join(folder, 'before')
  const number = Number(MIGRATION.slice(0, 3))
  await cp(findMigrationsDir(), upTo027, {
    recursive: true,
    filter: (source) => {
      const numbered = /(\d{3})_[^/\\]+\.sql$/.exec(source)
      return !numbered || Number(numbered[1]) < number
    }
  })
  await withAdmin((c) => c.query(`create database ${c.escapeIdentifier(scratch.database)}`))
  const config = { ...connectionConfig(), database: scratch.database }
  await migrate(config, { rolePrefix: scratch.rolePrefix, migrationsDir: upTo027 })
  owner = new pg.Client({ ...config, ssl: false })
  await owner.connect()
  await createOperator(owner, { name: boss, groups: ['admin'], password })
  await assignTenant(owner, boss, null)
  admin = new pg.Client({ ...config, user: boss, password, ssl: false })
  await admin.connect()

  // Oldest first, batches of 3: [A1 B1 A2] [B2 B3 B4] [B5]. The first full batch's horizon is A2's
  // finish (strictly before it), and A has no row in the short batch that publishes the cutoff.
  before = await load({ A: [400, 398], B: [399, 397, 396, 395, 394] })
  expect(await archive(3)).toEqual([3, 3, 1])
  const { applied } = await migrate(config, { rolePrefix: scratch.rolePrefix, migrationsDir: findMigrationsDir() })
  // 028 first; later migrations follow it.
  expect(applied[0]).toBe(MIGRATION)
})

afterAll(async () => {
  await admin?.end()
  await owner?.end()
  await dropTestDatabase(scratch)
  if (folder) await rm(folder, { recursive: true, force: true })
})

describe('archival horizons (migration 028)', () => {
  it('on 014 left the newest archived row of a full batch uncovered; the next run covers it, and the one after publishes nothing', async () => {
    // What 014's function left behind (checked before 028 was applied: no run since).
    expect(await uncovered(Object.values(before))).toEqual(['execution_steps:A2', 'executions:A2'])
    const horizons = async () => Number((await owner.query('select count(*) from sync_purge_horizons')).rows[0].count)
    const published = await horizons()
    expect(await archive(3)).toEqual([0])
    expect(await uncovered(Object.values(before))).toEqual([])
    expect(await horizons()).toBe(published + 2)
    expect(await archive(3)).toEqual([0])
    expect(await horizons()).toBe(published + 2)
    // The run that published them says so in its audit row.
    const { rows } = await owner.query<{ tenants: number; archived: number }>(
      `select (new_values ->> 'tenants')::int as tenants, (new_values ->> 'archived')::int as archived from audit_logs
        where resource_type = 'archive_old_executions' order by seq desc limit 2`
    )
    expect(rows).toEqual([{ tenants: 0, archived: 0 }, { tenants: 1, archived: 0 }])
  })

  it('covers every tenant when the last batch is exactly full, and the short one is empty', async () => {
    // [C1 D1 C2] [D2 D3 D4] []: on 014 the empty batch published nothing, leaving C2 and D4.
    const after = await load({ C: [300, 298], D: [299, 297, 296, 295] })
    expect(await archive(3)).toEqual([3, 3, 0])
    expect(await uncovered(Object.values(after))).toEqual([])
    // Never ahead of what is online: nothing of these tenants is left online at all.
    expect((await owner.query('select 1 from executions where tenant_id = any($1::uuid[])', [Object.values(after)])).rowCount).toBe(0)
  })
})
