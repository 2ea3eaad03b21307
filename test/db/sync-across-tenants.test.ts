import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PoolClient } from 'pg'
import { enterSyncReader, fetchVisibleTenants, type VisibleTenant } from '../../src/main/cache/sync/pull'
import { insertTenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator, makeTenants, uniqueRoleName, roleName, type TestOperator } from '../helpers/db'

/**
 * Issue 14, the isolation matrix of the multi-tenant read path: with no tenant in the transaction,
 * under the sync role (enterSyncReader, migration 029), one query per synced table returns the rows
 * of the tenants the operator may see — and 0 rows of any other tenant, for every role. Without the
 * sync role the same query shows nothing: the screens' queries never carry the across policy.
 * Writes are not widened (the policy is SELECT only, the role may not write).
 */

const SYNCED = ['executions', 'execution_steps', 'audit_logs', 'usage_records', 'conversations', 'sync_tombstones', 'sync_purge_horizons'] as const
let admin: pg.Client
let mine: string
let granted: string
let hidden: string

beforeAll(async () => {
  admin = await adminClient()
  ;[mine, granted, hidden] = (await makeTenants(3, 'across')).map((t) => t.id) as [string, string, string]
  const fixtureOwner = uniqueRoleName('fixture')
  await admin.query(`create role ${fixtureOwner} login in role ${roleName('support')}`)
  for (const tenant of [mine, granted, hidden]) await insertTenantRows(admin, tenant, fixtureOwner)
})

afterAll(async () => {
  await admin?.end()
})

/** Per table: the tenants of ours whose rows the role reads with no tenant set, or the SQLSTATE that refused it. */
async function readAcross(op: TestOperator, { asSync = true } = {}): Promise<Record<string, string[] | string>> {
  return op.withClient(async (client) => {
    const out: Record<string, string[] | string> = {}
    for (const table of SYNCED) {
      await client.query('begin')
      try {
        if (asSync) await enterSyncReader(client)
        const { rows } = await client.query<{ tenant_id: string }>(
          `select distinct tenant_id::text from ${table} where tenant_id = any($1::uuid[]) order by 1`,
          [[mine, granted, hidden]]
        )
        out[table] = rows.map((r) => r.tenant_id)
      } catch (error) {
        out[table] = (error as { code: string }).code
      } finally {
        await client.query('rollback')
      }
    }
    return out
  })
}

const every = (value: string[] | string) => Object.fromEntries(SYNCED.map((t) => [t, value]))

describe('one query per synced table across the visible tenants', () => {
  it('support and a one-tenant admin: their assigned tenant only', async () => {
    for (const group of ['support', 'admin'] as const) {
      const op = await makeOperator([group], [mine])
      expect(await readAcross(op), group).toEqual(every([mine]))
    }
  })

  it('without the sync role, support and admin read nothing across tenants: the policy is not theirs', async () => {
    for (const [group, tenants] of [['support', [mine]], ['admin', [null]]] as const) {
      const op = await makeOperator([group], [...tenants])
      expect(await readAcross(op, { asSync: false }), group).toEqual(every([]))
      const held = await op.withClient(async (client) =>
        (await client.query<{ usage: boolean; member: boolean }>(`select pg_has_role($1, 'USAGE') as usage, pg_has_role($1, 'MEMBER') as member`, [roleName('sync')])).rows[0]!
      )
      expect(held, `${group}: may switch to the sync role, does not hold its privileges`).toEqual({ usage: false, member: true })
    }
  })

  it('break-glass: the granted tenant too, while the grant lasts', async () => {
    const op = await makeOperator(['support'], [mine])
    await op.withClient((client) => client.query(`select app.request_break_glass($1, 'ticket 4711: customer asked for help', 5)`, [granted]))
    expect(await readAcross(op)).toEqual(every([mine, granted].sort()))
    await admin.query(`update break_glass_grants set granted_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where operator = $1`, [op.name])
    expect(await readAcross(op)).toEqual(every([mine]))
  })

  it('an all-tenants admin: every tenant', async () => {
    const op = await makeOperator(['admin'], [null])
    expect(await readAcross(op)).toEqual(every([mine, granted, hidden].sort()))
  })

  it('finance: usage across the platform as before, the rest refused; a moderator: refused', async () => {
    const finance = await makeOperator(['finance'])
    const seen = await readAcross(finance)
    expect(seen).toMatchObject({ executions: '42501', execution_steps: '42501', audit_logs: '42501' })
    expect(seen.usage_records).toEqual([mine, granted, hidden].sort())
    const moderator = await makeOperator(['moderator'])
    expect(Object.values(await readAcross(moderator)).every((v) => v === '42501')).toBe(true)
    for (const op of [finance, moderator]) {
      const refused = await op.withClient((client) => client.query(`set role ${roleName('sync')}`).then(() => 'switched', (error: { code: string }) => error.code))
      expect(refused, op.name).toBe('42501')
    }
  })

  it('support and finance at once: usage across the platform under the sync role too, executions of the assigned tenant only', async () => {
    const op = await makeOperator(['support', 'finance'], [mine])
    const seen = await readAcross(op)
    expect(seen.usage_records).toEqual([mine, granted, hidden].sort())
    expect(seen.executions).toEqual([mine])
  })

  it('the tenants a sync plans for, per role: assigned, all, platform-wide (finance)', async () => {
    const ours = (list: VisibleTenant[]) => list.filter((t) => [mine, granted, hidden].includes(t.id))
    const visible = async (op: TestOperator) =>
      op.withClient(async (client) => {
        await client.query('begin')
        try {
          return await fetchVisibleTenants(client as unknown as PoolClient)
        } finally {
          await client.query('rollback')
        }
      })
    const sorted = (ids: string[]) => [...ids].sort()
    const support = await visible(await makeOperator(['support'], [mine]))
    expect(support).toEqual([{ id: mine, access: 'assigned' }])
    const everyTenant = await visible(await makeOperator(['admin'], [null]))
    expect(ours(everyTenant)).toEqual(sorted([mine, granted, hidden]).map((id) => ({ id, access: 'all' })))
    // Sorted as uuids, so a sync compares two lists position by position.
    expect(everyTenant.map((t) => t.id)).toEqual(sorted(everyTenant.map((t) => t.id)))
    const finance = await visible(await makeOperator(['finance']))
    expect(ours(finance)).toEqual(sorted([mine, granted, hidden]).map((id) => ({ id, access: 'platform' })))
    const supportAndFinance = await visible(await makeOperator(['support', 'finance'], [mine]))
    expect(ours(supportAndFinance)).toEqual(sorted([mine, granted, hidden]).map((id) => ({ id, access: id === mine ? 'assigned' : 'platform' })))
  })

  it('under the sync role, a tenant set in the transaction still narrows to that tenant, and an invisible one to nothing', async () => {
    const op = await makeOperator(['support'], [mine])
    await op.withClient(async (client) => {
      for (const [tenant, expected] of [[mine, [mine]], [hidden, []]] as const) {
        await client.query('begin')
        await client.query(`select set_config('app.current_tenant_id', $1, true)`, [tenant])
        await enterSyncReader(client)
        const { rows } = await client.query<{ tenant_id: string }>('select distinct tenant_id::text from executions where tenant_id = any($1::uuid[])', [[mine, granted, hidden]])
        await client.query('rollback')
        expect(rows.map((r) => r.tenant_id)).toEqual(expected)
      }
    })
  })

  it('widens no write: with no tenant set, an update or delete of a visible tenant’s row touches nothing, and the sync role may not write', async () => {
    const op = await makeOperator(['admin'], [null])
    await admin.query(`grant update, delete on executions to ${op.name}`)
    await op.withClient(async (client) => {
      const updated = await client.query(`update executions set status = 'crashed' where tenant_id = $1`, [mine])
      const deleted = await client.query('delete from executions where tenant_id = $1', [mine])
      expect([updated.rowCount, deleted.rowCount]).toEqual([0, 0])
      await client.query('begin')
      await enterSyncReader(client)
      const refused = await client.query('delete from executions where tenant_id = $1', [mine]).then(() => 'deleted', (error: { code: string }) => error.code)
      await client.query('rollback')
      expect(refused).toBe('42501')
    })
  })
})
