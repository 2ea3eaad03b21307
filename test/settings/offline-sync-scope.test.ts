import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Preferences } from '../../src/shared/rpc/areas/settings'
import { fillTenant } from '../cache/fixtures'
import { operatorUrl, startScreensConsole, syncCache, type ScreensConsole } from '../executions/fixture'
import { makeOperator, makeTenants, withAdmin, type TestOperator } from '../helpers/db'

/*
 * What Settings say reaches the real sync engine: the real backend (settings file, sync worker,
 * SQLite cache) syncing from the real PostgreSQL as a support operator, so row-level security
 * decides what is visible and the settings decide what of it is kept.
 */

const WINDOWS = { executions: 1, audit_logs: 3650, usage_records: 2 }
const SYNC_TIMEOUT = 400_000

let assigned: string
let pinned: string
let unpinned: string
let operator: TestOperator
let app: ScreensConsole

beforeAll(async () => {
  ;[assigned, pinned, unpinned] = (await makeTenants(3, 'syncscope')).map((t) => t.id) as [string, string, string]
  operator = await makeOperator(['support'], [assigned], 'syncscope')
  await withAdmin(async (admin) => {
    for (const tenantId of [assigned, pinned, unpinned]) {
      await fillTenant(admin, tenantId, { executions: 35, auditLogs: 20, usageRecords: 72 })
      // Every seventh execution ran ten days ago: outside a one-day window.
      await admin.query(
        `UPDATE executions SET started_at = started_at - interval '10 days', finished_at = finished_at - interval '10 days' WHERE tenant_id = $1 AND status = 'error'`,
        [tenantId]
      )
      // A step's creation time is kept on update, so old steps are written again, created when their execution started.
      await admin.query(
        `WITH old AS (DELETE FROM execution_steps s USING executions e WHERE e.id = s.execution_id AND e.tenant_id = $1 AND e.status = 'error' RETURNING s.*, e.started_at AS ran_at)
         INSERT INTO execution_steps (tenant_id, execution_id, step_index, step_name, status, started_at, completed_at, input_data, output_data, created_at)
         SELECT tenant_id, execution_id, step_index, step_name, status, ran_at, ran_at, input_data, output_data, ran_at FROM old`,
        [tenantId]
      )
    }
    // Break-glass access to two tenants: only the pinned one may be copied to the laptop.
    for (const tenantId of [pinned, unpinned]) {
      await admin.query(`INSERT INTO break_glass_grants (operator, tenant_id, reason, expires_at) VALUES ($1, $2, 'test: offline sync scope', now() + interval '2 hours')`, [
        operator.name,
        tenantId
      ])
    }
  })
  app = await startScreensConsole(operatorUrl(operator))
}, SYNC_TIMEOUT)

afterAll(async () => {
  await app?.close()
  if (operator) await withAdmin((admin) => admin.query('DELETE FROM break_glass_grants WHERE operator = $1', [operator.name]))
})

/** What the server holds inside the windows, per tenant and table (as the superuser: RLS hides nothing). */
type TableIds = Record<'executions' | 'execution_steps' | 'audit_logs' | 'usage_records', string[]>

async function expectedIds(tenantId: string): Promise<TableIds> {
  return withAdmin(async (admin) => {
    const ids = async (sql: string) => (await admin.query<{ id: string }>(sql, [tenantId])).rows.map((r) => r.id)
    return {
      executions: await ids(`SELECT id::text FROM executions WHERE tenant_id = $1 AND started_at >= now() - interval '${WINDOWS.executions} days' ORDER BY 1`),
      execution_steps: await ids(
        `SELECT s.id::text FROM execution_steps s JOIN executions e ON e.id = s.execution_id
         WHERE s.tenant_id = $1 AND e.started_at >= now() - interval '${WINDOWS.executions} days' ORDER BY 1`
      ),
      audit_logs: await ids(`SELECT id::text FROM audit_logs WHERE tenant_id = $1 ORDER BY 1`),
      usage_records: await ids(`SELECT id::text FROM usage_records WHERE tenant_id = $1 AND recorded_at >= now() - interval '${WINDOWS.usage_records} days' ORDER BY 1`)
    }
  })
}

function cachedIds(tenantId: string): TableIds {
  const reader = app.handle.backend.offlineCache.reader()
  if (!reader) throw new Error('no cache was written')
  const ids = (table: string) => reader.prepare(`SELECT id FROM ${table} WHERE tenant_id = ? ORDER BY 1`).pluck().all(tenantId) as string[]
  return { executions: ids('executions'), execution_steps: ids('execution_steps'), audit_logs: ids('audit_logs'), usage_records: ids('usage_records') }
}

describe('offline sync settings drive the sync engine', () => {
  it(
    'keeps each table’s own window, steps with their executions, and syncs a pinned break-glass tenant but not an unpinned one',
    async () => {
      const saved = await app.ok<Preferences>('settings.update', { sync: { windowDays: WINDOWS, pinnedTenantIds: [pinned] } })
      expect(saved.sync).toMatchObject({ windowDays: WINDOWS, pinnedTenantIds: [pinned] })
      await syncCache(app)

      for (const tenantId of [assigned, pinned]) {
        const expected = await expectedIds(tenantId)
        // The windows do cut something, or this test would prove nothing.
        expect(expected.executions.length).toBe(30)
        expect(expected.execution_steps.length).toBe(60)
        expect(expected.usage_records.length).toBe(47)
        expect(expected.audit_logs.length).toBeGreaterThanOrEqual(20)
        expect(cachedIds(tenantId)).toEqual(expected)
      }
      expect(cachedIds(unpinned)).toEqual({ executions: [], execution_steps: [], audit_logs: [], usage_records: [] })
    },
    SYNC_TIMEOUT
  )

  it(
    'drops a tenant from the cache once it is unpinned, and widens a window at the next sync',
    async () => {
      await app.ok('settings.update', { sync: { windowDays: { executions: 30 }, pinnedTenantIds: [] } })
      await syncCache(app)

      expect(cachedIds(pinned)).toEqual({ executions: [], execution_steps: [], audit_logs: [], usage_records: [] })
      const all = await withAdmin(async (admin) => (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM executions WHERE tenant_id = $1', [assigned])).rows[0]!.n)
      expect(cachedIds(assigned).executions).toHaveLength(all)
      expect(cachedIds(assigned).execution_steps).toHaveLength(all * 2)
    },
    SYNC_TIMEOUT
  )
})
