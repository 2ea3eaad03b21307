import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperatorGroup } from '../../src/main/db/operators'
import { makeTenantWithRows, type TenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator } from '../helpers/db'

/**
 * Issue 9, item 3: app.write_tombstone let every group forge tombstones in tenants it cannot see,
 * and answered differently for a live row id (an existence oracle across tenants). Only the
 * delete trigger writes tombstones now.
 */

let admin: pg.Client
let tenant: string
let rows: TenantRows

beforeAll(async () => {
  admin = await adminClient()
  ;({ tenant, rows } = await makeTenantWithRows(admin, 'tomb'))
})

afterAll(async () => {
  await admin?.end()
})

const GROUPS: OperatorGroup[] = ['support', 'moderator', 'finance', 'admin']

describe('tombstones', () => {
  it.each(GROUPS)('%s cannot write one by calling a function, for a live row or an unknown one', async (group) => {
    const operator = await makeOperator([group], group === 'admin' ? [null] : [tenant])
    const client = await operator.client()
    const forged = randomUUID()
    try {
      for (const rowId of [forged, rows.executions!]) {
        // No callable function is left (undefined or no EXECUTE): the same refusal whether the row exists or not.
        const refusal = await client.query(`select app.write_tombstone('executions', $1, $2)`, [rowId, tenant]).then(
          () => null,
          (error: { code?: string }) => error.code
        )
        expect(refusal).toBe('42883')
      }
      await expect(client.query('select app.record_tombstone()')).rejects.toMatchObject({ code: '42501' })
      await expect(client.query(`insert into sync_tombstones (table_name, row_id, tenant_id) values ('executions', $1, $2)`, [forged, tenant])).rejects.toMatchObject({
        code: '42501'
      })
    } finally {
      await client.end()
    }
    const written = await admin.query('select 1 from sync_tombstones where row_id = $1', [forged])
    expect(written.rowCount).toBe(0)
  })

  it('are still written by the delete trigger, for the row and its cascaded steps', async () => {
    const steps = await admin.query<{ id: string }>('select id from execution_steps where execution_id = $1', [rows.executions])
    expect(steps.rowCount).toBeGreaterThan(0)
    await admin.query('delete from executions where id = $1', [rows.executions])
    const { rows: tombstones } = await admin.query<{ table_name: string; row_id: string }>(
      'select table_name, row_id from sync_tombstones where tenant_id = $1 and row_id = any($2) order by table_name',
      [tenant, [rows.executions, ...steps.rows.map((s) => s.id)]]
    )
    expect(tombstones).toEqual([
      ...steps.rows.map((s) => ({ table_name: 'execution_steps', row_id: s.id })),
      { table_name: 'executions', row_id: rows.executions }
    ])
  })
})
