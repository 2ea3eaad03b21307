import { describe, expect, it } from 'vitest'
import { makeOperator, makeTenant } from '../helpers/db'

/* Issue 15: "a status reason of 3,000 characters is accepted where the contract says 500". */
describe('a tenant status reason', () => {
  it('is refused by the database above 500 characters, as the contract says, and accepted at 500', async () => {
    const tenant = await makeTenant('reason')
    const admin = await makeOperator(['admin'], [null])
    const db = admin.database({ maxConnections: 1 })
    try {
      // In the tenant's own context, as tenants.setStatus writes it.
      const setReason = (reason: string) => db.withTenant(tenant.id, (client) => client.query(`update tenants set status = 'suspended', status_reason = $2 where id = $1`, [tenant.id, reason]))
      await expect(setReason('x'.repeat(3000))).rejects.toMatchObject({ code: 'INVALID' })
      await expect(setReason('x'.repeat(501))).rejects.toMatchObject({ code: 'INVALID' })
      await expect(setReason('Overdue invoices since March. '.padEnd(500, '.'))).resolves.toMatchObject({ rowCount: 1 })
    } finally {
      await db.close()
    }
  })
})
