import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeOperator, makeTenant } from '../helpers/db'

/**
 * Issue 9, item 5: expiry was compared with now(), the start of the transaction, so a grant kept
 * working for as long as one transaction stayed open.
 */

let admin: pg.Client

beforeAll(async () => {
  admin = await adminClient()
})

afterAll(async () => {
  await admin?.end()
})

describe('break-glass expiry', () => {
  it('ends inside an open transaction: a one-second grant stops reading rows once it expires', async () => {
    const tenant = (await makeTenant('expiry')).id
    await admin.query(`insert into tenant_domains (tenant_id, domain) values ($1, $2)`, [tenant, `expiry-${tenant.slice(0, 8)}.example.com`])
    const operator = await makeOperator(['support'])
    const grant = await admin.query<{ expires_at: Date }>(
      `insert into break_glass_grants (operator, tenant_id, reason, granted_at, expires_at)
       values ($1, $2, 'Ticket 4711: one-second grant', clock_timestamp(), clock_timestamp() + interval '1 second') returning expires_at`,
      [operator.name, tenant]
    )
    const client = await operator.client()
    try {
      await client.query('begin')
      await client.query(`select set_config('app.current_tenant_id', $1, true)`, [tenant])
      const read = async () => (await client.query<{ n: number }>('select count(*)::int as n from tenant_domains')).rows[0]!.n
      expect(await read()).toBe(1)
      await sleep(Math.max(0, grant.rows[0]!.expires_at.getTime() - Date.now()) + 300)
      expect(await read()).toBe(0)
      const sees = await client.query<{ sees: boolean; listed: number }>(
        'select app.can_see_tenant($1) as sees, (select count(*)::int from app.visible_tenants()) as listed',
        [tenant]
      )
      expect(sees.rows).toEqual([{ sees: false, listed: 0 }])
      await client.query('commit')
    } finally {
      await client.end()
    }
  })
})
