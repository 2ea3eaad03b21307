import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTenantWithRows, type TenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator } from '../helpers/db'

let admin: pg.Client
let tenant: string
let rows: TenantRows

beforeAll(async () => {
  admin = await adminClient()
  ;({ tenant, rows } = await makeTenantWithRows(admin, 'sync'))
})

afterAll(async () => {
  await admin?.end()
})

describe('sync columns', () => {
  it('moves sync_xid forward on update', async () => {
    const before = await admin.query<{ x: string }>('select sync_xid::text as x from executions where id = $1', [rows.executions])
    await admin.query(`update executions set status = 'success' where id = $1`, [rows.executions])
    const after = await admin.query<{ x: string }>('select sync_xid::text as x from executions where id = $1', [rows.executions])
    expect(BigInt(after.rows[0]!.x)).toBeGreaterThan(BigInt(before.rows[0]!.x))
  })

  it('leaves a tombstone for a deleted row, visible to an operator of that tenant only', async () => {
    await admin.query('delete from execution_steps where id = $1', [rows.execution_steps])
    const support = await makeOperator(['support'], [tenant])
    const stranger = await makeOperator(['support'], [])
    const read = (db: ReturnType<typeof support.database>) =>
      db.withTenant(tenant, async (c) => (await c.query(`select table_name from sync_tombstones where row_id = $1`, [rows.execution_steps])).rows)
    const [mine, theirs] = [support.database(), stranger.database()]
    try {
      expect(await read(mine)).toEqual([{ table_name: 'execution_steps' }])
      expect(await read(theirs)).toEqual([])
    } finally {
      await mine.close()
      await theirs.close()
    }
  })
})

describe('archival', () => {
  it('moves old finished executions with their steps and publishes a purge horizon instead of tombstones', async () => {
    const workflow = rows.workflows
    const { rows: inserted } = await admin.query<{ id: string; age: number }>(
      `insert into executions (tenant_id, workflow_id, status, started_at, finished_at)
       select $1, $2, 'success', now() - make_interval(days => d), now() - make_interval(days => d) + interval '1 minute'
         from unnest(array[200, 100, 5]) d returning id, extract(day from now() - started_at)::int as age`,
      [tenant, workflow]
    )
    const old = inserted.filter((r) => r.age > 90).map((r) => r.id)
    await admin.query(`insert into execution_steps (tenant_id, execution_id, step_index, step_name, status) values ($1, $2, 0, 'a', 'success'), ($1, $2, 1, 'b', 'success')`, [tenant, old[0]])
    const adminOp = await makeOperator(['admin'], [null])
    const db = adminOp.database()
    try {
      const archived = await db.withPlatform(async (c) => (await c.query<{ n: number }>('select app.archive_old_executions(90) as n')).rows[0]!.n)
      expect(archived).toBeGreaterThanOrEqual(2)
    } finally {
      await db.close()
    }
    const left = await admin.query('select id from executions where id = any($1)', [inserted.map((r) => r.id)])
    expect(left.rows.map((r) => r.id)).toEqual(inserted.filter((r) => r.age <= 90).map((r) => r.id))
    const moved = await admin.query<{ id: string; steps: { step_name: string }[] }>('select id, steps from executions_archive where id = any($1) order by started_at', [old])
    expect(moved.rows.map((r) => r.id)).toEqual(old)
    expect(moved.rows[0]!.steps.map((s) => s.step_name)).toEqual(['a', 'b'])
    const tombstones = await admin.query('select 1 from sync_tombstones where row_id = any($1)', [old])
    expect(tombstones.rowCount).toBe(0)
    const horizons = await admin.query<{ table_name: string }>(
      `select table_name from sync_purge_horizons where tenant_id = $1 and horizon_column = 'finished_at' and before_ts < now() - interval '89 days' order by table_name`,
      [tenant]
    )
    expect(horizons.rows.map((r) => r.table_name)).toEqual(['execution_steps', 'executions'])
  })

  it('refuses archival to support', async () => {
    const support = await makeOperator(['support'], [tenant])
    const db = support.database()
    try {
      await expect(db.withPlatform((c) => c.query('select app.archive_old_executions(1)'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    } finally {
      await db.close()
    }
  })
})

describe('event partitions', () => {
  it('creates the coming months once', async () => {
    const countPartitions = async () =>
      Number((await admin.query(`select count(*) from pg_inherits where inhparent = 'public.events'::regclass`)).rows[0].count)
    const before = await countPartitions()
    const first = await admin.query<{ n: number }>('select app.create_event_partitions(7) as n')
    const again = await admin.query<{ n: number }>('select app.create_event_partitions(7) as n')
    expect(first.rows[0]!.n).toBe((await countPartitions()) - before)
    expect(again.rows[0]!.n).toBe(0)
    const name = await admin.query<{ found: string | null }>(
      `select to_regclass('public.events_y' || to_char(now() + interval '7 months', 'YYYY') || 'm' || to_char(now() + interval '7 months', 'MM'))::text as found`
    )
    expect(name.rows[0]!.found).not.toBeNull()
    const { rows: forced } = await admin.query<{ ok: boolean }>(
      `select bool_and(relrowsecurity and relforcerowsecurity) as ok from pg_class where relname like 'events_y%' and relkind = 'r'`
    )
    expect(forced[0]!.ok).toBe(true)
  })
})
