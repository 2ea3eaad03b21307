import { describe, expect, it } from 'vitest'
import { hostnameSchema, profileSchema, tenantsProcedures } from '../../src/shared/rpc/areas/tenants'
import { makeOperator, makeTenant, withAdmin } from '../helpers/db'
import { operatorSession } from './harness'

/* Issue 15 §9: internationalized domains, bidirectional controls in names, reasons past their limit (migration 022), the profile's last actor, break-glass in the directory. */
const RLO = '\u202e'

describe('the contract', () => {
  it('takes an internationalized domain and gives its punycode; refuses anything that is not a bare host name', () => {
    expect(hostnameSchema.parse('ñandú.es')).toBe('xn--and-6ma2c.es')
    expect(hostnameSchema.parse(' Ñandú.ES ')).toBe('xn--and-6ma2c.es')
    expect(hostnameSchema.parse('пример.рф')).toBe('xn--e1afmkfd.xn--p1ai')
    expect(hostnameSchema.parse('chat.example.com')).toBe('chat.example.com')
    for (const bad of ['ñandú', 'http://ñandú.es', 'ñandú.es/x', 'user@ñandú.es', 'ñandú.es:8080', 'ñ andú.es', '-x.es', 'a..es']) {
      expect(hostnameSchema.safeParse(bad).success, bad).toBe(false)
    }
  })

  it('refuses bidirectional controls in a tenant name and industry', () => {
    const profile = { name: 'Acme', contactEmail: null, websiteUrl: null, businessIndustry: null }
    expect(profileSchema.safeParse(profile).success).toBe(true)
    for (const control of [RLO, '\u202a', '\u2066', '\u2069', '\u200f', '\u061c']) {
      expect(profileSchema.safeParse({ ...profile, name: `moc.${control}evil` }).success).toBe(false)
      expect(profileSchema.safeParse({ ...profile, businessIndustry: `retail${control}` }).success).toBe(false)
    }
    expect(profileSchema.safeParse({ ...profile, name: 'Farmacia Santa Lucía · ñandú' }).success).toBe(true)
  })

  it('takes a search of 200 characters and refuses 201 in every search procedure', () => {
    expect(tenantsProcedures['tenants.list'].input.safeParse({ search: 'x'.repeat(200) }).success).toBe(true)
    expect(tenantsProcedures['tenants.list'].input.safeParse({ search: 'x'.repeat(201) }).success).toBe(false)
    expect(tenantsProcedures['tenants.search'].input.safeParse({ query: 'x'.repeat(201) }).success).toBe(false)
  })
})

describe('the database (migration 022)', () => {
  it('stores an internationalized domain added through the console as punycode, and shows its Unicode form', async () => {
    const tenant = await makeTenant('idn')
    const admin = await operatorSession(['admin'], [null])
    try {
      const added = await admin.call('tenants.addDomain', { tenantId: tenant.id, domain: `ñandú-${tenant.slug}.es` })
      expect(added).toMatchObject({ ok: true, value: { domain: expect.stringMatching(/^xn--/), displayDomain: `ñandú-${tenant.slug}.es` } })
      const stored = await withAdmin((c) => c.query<{ domain: string }>('select domain from tenant_domains where tenant_id = $1', [tenant.id]))
      expect(stored.rows.map((r) => r.domain)).toEqual([new URL(`http://ñandú-${tenant.slug}.es`).hostname])
      const again = await admin.call('tenants.addDomain', { tenantId: tenant.id, domain: `ÑANDÚ-${tenant.slug}.es` })
      expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    } finally {
      await admin.close()
    }
  })

  it('refuses a bidirectional control in a tenant name or industry, and a reason past its contract limit', async () => {
    const tenant = await makeTenant('text')
    const admin = await makeOperator(['admin'], [null])
    const db = admin.database({ maxConnections: 1 })
    try {
      const inTenant = (sql: string, values: unknown[]) => db.withTenant(tenant.id, (client) => client.query(sql, [tenant.id, ...values]))
      await expect(inTenant('update tenants set name = $2 where id = $1', [`Acme${RLO}lageL`])).rejects.toMatchObject({ code: 'INVALID' })
      await expect(inTenant('update tenants set business_industry = $2 where id = $1', [`retail\u2066`])).rejects.toMatchObject({ code: 'INVALID' })
      await expect(inTenant('update tenants set name = $2 where id = $1', ['Ñandú Viajes'])).resolves.toMatchObject({ rowCount: 1 })
    } finally {
      await db.close()
    }
    // Reasons a support operator's break-glass request stores: 500 as the contract says.
    const grant = (reason: string) =>
      withAdmin((c) => c.query(`insert into break_glass_grants (operator, tenant_id, reason, expires_at) values (current_user, $1, $2, now() + interval '1 minute')`, [tenant.id, reason]))
    await expect(grant('x'.repeat(501))).rejects.toMatchObject({ code: '23514' })
    await expect(grant('x'.repeat(500))).resolves.toMatchObject({ rowCount: 1 })
  })
})

describe('the profile\'s "last changed by"', () => {
  it('names the operator the audit trail names, not the role that loaded the row', async () => {
    const tenant = await makeTenant('actor')
    const admin = await operatorSession(['admin'], [null])
    try {
      // As the demo data has it: the row loaded by postgres, its last change audited as an operator's.
      // Loaded as the demo seed loads it: triggers off, so the row keeps its actor (not the session's).
      await withAdmin(async (c) => {
        await c.query('begin')
        await c.query('set local session_replication_role = replica')
        await c.query(
          `insert into audit_logs (tenant_id, actor, action, resource_type, resource_id, old_values, new_values, created_at)
           values ($1, 'avia_javier_admin', 'UPDATE', 'tenants', $1, '{"status":"active"}', '{"status":"suspended"}', clock_timestamp())`,
          [tenant.id]
        )
        await c.query('commit')
      })
      const detail = await admin.call('tenants.get', { tenantId: tenant.id })
      expect(detail).toMatchObject({ ok: true, value: { profile: { updatedBy: 'avia_javier_admin' } } })
      // The timeline's newest entry is the same change, by the same operator.
      const timeline = await admin.value('tenants.timeline', { tenantId: tenant.id, kinds: ['audit'] })
      expect(timeline.entries[0]).toMatchObject({ actor: 'avia_javier_admin', event: 'UPDATE' })
    } finally {
      await admin.close()
    }
  })
})

describe('the directory', () => {
  it('marks a tenant reached through break-glass with the grant\'s end, and no assigned one', async () => {
    const [assigned, reached] = [await makeTenant('mine'), await makeTenant('glass')]
    const operator = await operatorSession(['support'], [assigned.id])
    try {
      const grant = await operator.value('tenants.requestAccess', { tenantId: reached.id, reason: 'Customer called about ticket 4411', minutes: 30 })
      const { rows } = await operator.value('tenants.list', {})
      const byId = new Map((rows as { id: string; breakGlassUntil: string | null }[]).map((row) => [row.id, row.breakGlassUntil]))
      expect(byId.get(assigned.id)).toBeNull()
      expect(byId.get(reached.id)).toBe(grant.expiresAt)
    } finally {
      await operator.close()
    }
  })
})
