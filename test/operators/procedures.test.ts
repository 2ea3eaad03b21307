import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operatorsProcedures } from '../../src/shared/rpc/areas/operators'
import { makeOperator, makeTenants, withAdmin, type TenantSeed, type TestOperator } from '../helpers/db'
import { operatorSession, writesFor, type OperatorSession } from '../tenants/harness'

// Issue 15 §3: the Operators area runs as the admin's own role under forced RLS. Assignments,
// unassignments and ended grants are audited with the admin as the actor on the tenant's chain.

let tenants: TenantSeed[]
let admin: OperatorSession
let support: TestOperator
const REASON = 'Ticket closed, access no longer needed'

async function auditRows(tenantId: string, resourceType: string) {
  return withAdmin(async (c) => (await c.query(
    `select actor, action, old_values, new_values from audit_logs where tenant_id = $1 and resource_type = $2 order by seq`, [tenantId, resourceType])).rows)
}

async function grantFor(operator: TestOperator, tenantId: string): Promise<string> {
  return operator.withClient(async (c) => (await c.query(`select id from app.request_break_glass($1, 'Customer called about a broken bot', 60)`, [tenantId])).rows[0].id)
}

beforeAll(async () => {
  tenants = await makeTenants(3, 'opsarea')
  admin = await operatorSession(['admin'], [null])
  support = await makeOperator(['support'], [tenants[0]!.id])
})

afterAll(async () => {
  expect(admin.internalErrors).toEqual([])
  await admin.close()
})

describe('operators area as an admin of all tenants', () => {
  it('lists the operator with groups and tenants, assigns and unassigns, each audited with the admin as actor and the chain intact', async () => {
    const listed = (await admin.value('operators.list', {})).operators.find((o: { name: string }) => o.name === support.name)
    expect(listed).toMatchObject({ groups: ['support'], allTenants: false, tenants: [{ id: tenants[0]!.id }], grantsInForce: 0 })
    expect((await admin.value('operators.list', {})).operators.find((o: { name: string }) => o.name === admin.name)).toMatchObject({ groups: ['admin'], allTenants: true })

    await admin.value('operators.assign', { operator: support.name, tenantId: tenants[1]!.id })
    expect(await support.withClient(async (c) => (await c.query('select tenant_id from app.visible_tenants() order by tenant_id')).rows.map((r) => r.tenant_id)))
      .toEqual([tenants[0]!.id, tenants[1]!.id].sort())
    expect(await admin.call('operators.assign', { operator: support.name, tenantId: tenants[1]!.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await admin.value('operators.unassign', { operator: support.name, tenantId: tenants[1]!.id })
    expect(await admin.call('operators.unassign', { operator: support.name, tenantId: tenants[1]!.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })

    const rows = await auditRows(tenants[1]!.id, 'operator_tenants')
    expect(rows.map((r) => [r.actor, r.action])).toEqual([[admin.name, 'INSERT'], [admin.name, 'DELETE']])
    expect(rows[0].new_values.operator).toBe(support.name)
    const chain = await withAdmin(async (c) => (await c.query('select status from app.verify_audit_chain($1)', [tenants[1]!.id])).rows[0].status)
    expect(chain).toBe('intact')
  })

  it('shows the grants in force and ends one early with its reason; the operator loses the tenant at once', async () => {
    const grantId = await grantFor(support, tenants[2]!.id)
    const grants = (await admin.value('operators.grants', {})).grants
    expect(grants.find((g: { id: string }) => g.id === grantId)).toMatchObject({ operator: support.name, tenant: { id: tenants[2]!.id }, reason: 'Customer called about a broken bot' })

    const ended = await admin.value('operators.endGrant', { grantId, reason: `  ${REASON} ` })
    expect(ended.id).toBe(grantId)
    expect((await admin.value('operators.grants', {})).grants.map((g: { id: string }) => g.id)).not.toContain(grantId)
    expect(await support.withClient(async (c) => (await c.query('select app.can_see_tenant($1) as can', [tenants[2]!.id])).rows[0].can)).toBe(false)
    expect(await admin.call('operators.endGrant', { grantId, reason: REASON })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    const update = (await auditRows(tenants[2]!.id, 'break_glass_grants')).find((r) => r.action === 'UPDATE')
    expect(update).toMatchObject({ actor: admin.name, new_values: { ended_by: admin.name, end_reason: REASON } })
    const recent = (await admin.value('operators.actions', { operator: admin.name, limit: 5 })).actions
    expect(recent[0]).toMatchObject({ action: 'UPDATE', resourceType: 'break_glass_grants', resourceId: grantId, tenant: { id: tenants[2]!.id } })
    // The support operator's own action (the grant he requested) is in his list.
    const his = (await admin.value('operators.actions', { operator: support.name, limit: 200 })).actions
    expect(his.some((a: { resourceId: string; action: string }) => a.resourceId === grantId && a.action === 'INSERT')).toBe(true)
  })

  it('answers an unknown operator and a missing tenant with NOT_FOUND, and writes nothing', async () => {
    const before = await writesFor(tenants.map((t) => t.id))
    expect(await admin.call('operators.assign', { operator: 'nobody_by_that_name', tenantId: tenants[1]!.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await admin.call('operators.assign', { operator: support.name, tenantId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await admin.call('operators.endGrant', { grantId: '00000000-0000-4000-8000-000000000000', reason: REASON })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await writesFor(tenants.map((t) => t.id))).toBe(before)
  })
})

describe('the database refuses everyone else', () => {
  it('refuses support (claiming admin) and an admin of some tenants: 42501, nothing written', async () => {
    const grantId = await grantFor(support, tenants[1]!.id)
    const pretender = await operatorSession(['support'], [tenants[0]!.id], { claimedGroups: ['admin'] })
    const partialAdmin = await operatorSession(['admin'], [tenants[0]!.id])
    const direct = await makeOperator(['admin'], [tenants[0]!.id])
    // Measured after the setup's own assignments (audited too).
    const before = await writesFor(tenants.map((t) => t.id))
    try {
      for (const session of [pretender, partialAdmin]) {
        for (const [procedure, input] of [
          ['operators.list', {}],
          ['operators.grants', {}],
          ['operators.actions', { operator: support.name, limit: 5 }],
          ['operators.assign', { operator: support.name, tenantId: tenants[0]!.id }],
          ['operators.endGrant', { grantId, reason: REASON }]
        ] as const) {
          const result = await session.call(procedure, input)
          expect(result, `${session.name} ${procedure}`).toMatchObject({ ok: false })
          if (!result.ok) expect(['FORBIDDEN', 'NOT_FOUND']).toContain(result.error.code)
        }
      }
      // Straight to the database, as the partial admin: RLS and the definer functions refuse.
      const raw = await partialAdmin.call('operators.unassign', { operator: support.name, tenantId: tenants[0]!.id })
      expect(raw).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
      expect(pretender.internalErrors).toEqual([])
      expect(partialAdmin.internalErrors).toEqual([])
    } finally {
      await pretender.close()
      await partialAdmin.close()
    }
    await direct.withClient(async (c) => {
      await expect(c.query('select app.end_break_glass($1, $2)', [grantId, REASON])).rejects.toMatchObject({ code: '42501' })
      await expect(c.query('select * from app.operator_actions($1, 5)', [support.name])).rejects.toMatchObject({ code: '42501' })
      await expect(c.query('insert into operator_tenants (operator, tenant_id) values ($1, $2)', [support.name, tenants[2]!.id])).rejects.toMatchObject({ code: '42501' })
    })
    await support.withClient(async (c) => {
      await expect(c.query('select app.end_break_glass($1, $2)', [grantId, REASON])).rejects.toMatchObject({ code: '42501' })
    })
    expect(await writesFor(tenants.map((t) => t.id))).toBe(before)
  })

  it('refuses an assignment to a name that is no operator, even from the owner', async () => {
    await withAdmin(async (c) => {
      await expect(c.query(`insert into operator_tenants (operator, tenant_id) values ('no_such_role_x1', $1)`, [tenants[0]!.id])).rejects.toMatchObject({ code: '23503' })
    })
  })
})

describe('every operators procedure refuses bad input with a typed error and writes nothing', () => {
  const valid: Record<keyof typeof operatorsProcedures, Record<string, unknown>> = {
    'operators.list': {},
    'operators.grants': {},
    'operators.actions': { operator: 'some_operator', limit: 5 },
    'operators.assign': { operator: 'some_operator', tenantId: '00000000-0000-4000-8000-000000000000' },
    'operators.unassign': { operator: 'some_operator', tenantId: '00000000-0000-4000-8000-000000000000' },
    'operators.endGrant': { grantId: '00000000-0000-4000-8000-000000000000', reason: REASON }
  }
  for (const procedure of Object.keys(operatorsProcedures) as (keyof typeof operatorsProcedures)[]) {
    it(procedure, async () => {
      const schema = operatorsProcedures[procedure].input
      expect(schema.safeParse(valid[procedure]).success).toBe(true)
      const keys = Object.keys(valid[procedure])
      const broken = fc
        .oneof(
          keys.length
            ? fc.tuple(fc.constantFrom(...keys), fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.constant('Robert"); drop role x;--'), fc.constant(' '.repeat(20)), fc.constant('\u200b'.repeat(12))))
                .map(([key, junk]) => ({ ...valid[procedure], [key]: junk }) as unknown)
            : fc.constant({ surplus: 1 } as unknown),
          fc.string({ minLength: 1 }).filter((k) => !keys.includes(k) && k !== '__proto__').map((k) => ({ ...valid[procedure], [k]: 1 }) as unknown),
          fc.anything()
        )
        .filter((input) => !schema.safeParse(input).success)
      const before = await writesFor(tenants.map((t) => t.id))
      await fc.assert(
        fc.asyncProperty(broken, async (input) => {
          const result = await admin.call(procedure, input)
          expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
        }),
        { numRuns: 40 }
      )
      expect(await writesFor(tenants.map((t) => t.id))).toBe(before)
    })
  }
})
