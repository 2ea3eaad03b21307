import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchTenantDirectory, fetchVisibleTenantsDigest } from '../../src/main/cache/sync/pull'
import type { Database } from '../../src/main/db/types'
import { makeOperator, makeTenants, withAdmin, type TenantSeed, type TestOperator } from '../helpers/db'

// Migration 030: the visible-set and directory digests of an all-tenants admin are kept by
// statement triggers on tenants and tenant_limits, so a sync asks for them in constant time.
// After every kind of write the kept row equals the same digests computed from the tables, in one
// statement (one snapshot: other test files write tenants meanwhile).

const KEPT_AND_COMPUTED = `
  select (select d.tenants || ':' || d.tenant_ids || ':' || d.tenant_fields || ':' || d.tenant_limits from all_tenant_digests d) as kept,
         (select count(*) from tenants) || ':' ||
         (select coalesce(bit_xor(uuid_hash_extended(t.id, 0)), 0) from tenants t) || ':' ||
         (select coalesce(bit_xor(app.tenant_fields_hash(t.id, t.slug, t.name, t.status, t.plan_type, t.business_industry)), 0) from tenants t) || ':' ||
         (select coalesce(bit_xor(app.tenant_limits_hash(l.id, l.tenant_id, l.active, l.agent_usage_limit, l.storage_limit_mb)), 0) from tenant_limits l) as computed`

async function expectKept(admin: pg.Client, step: string): Promise<string> {
  const { rows } = await admin.query<{ kept: string; computed: string }>(KEPT_AND_COMPUTED)
  expect(rows[0]!.kept, step).toBe(rows[0]!.computed)
  return rows[0]!.kept
}

let tenants: TenantSeed[]
let everyTenant: TestOperator
let admin: Database

beforeAll(async () => {
  tenants = await makeTenants(3, 'digest')
  await withAdmin((c) => c.query('insert into tenant_limits (tenant_id) select unnest($1::uuid[])', [tenants.map((t) => t.id)]))
  everyTenant = await makeOperator(['admin'], [null])
  admin = everyTenant.database()
})

afterAll(async () => {
  await admin.close()
})

describe('the digests kept for an all-tenants admin (migration 030)', () => {
  it('equal the digests computed from the tables after inserts, updates, deletes and a bulk load', async () => {
    const [a, b] = tenants as [TenantSeed, TenantSeed]
    await withAdmin(async (c) => {
      const seeded = await expectKept(c, 'seeded')
      await c.query(`update tenants set settings = '{"theme": "dark"}', contact_email = 'ops@example.com' where id = $1`, [a.id])
      const untouched = await expectKept(c, 'an update of other columns')
      await c.query(`update tenants set name = name || ' renamed' where id = $1`, [a.id])
      const renamed = await expectKept(c, 'a rename')
      expect(renamed, 'a rename changes the directory digest').not.toBe(untouched)
      // Two tenants swapping names: the same multiset of names, another digest (hashes seeded by id).
      await c.query(
        `update tenants t set name = o.name from tenants o where (t.id, o.id) in (($1::uuid, $2::uuid), ($2::uuid, $1::uuid))`,
        [a.id, b.id]
      )
      const swapped = await expectKept(c, 'two names swapped')
      expect(swapped).not.toBe(renamed)
      await c.query('update tenant_limits set agent_usage_limit = agent_usage_limit + 1 where tenant_id = $1', [b.id])
      const limited = await expectKept(c, 'a limit raised')
      expect(limited).not.toBe(swapped)
      await c.query('update tenant_limits set requests_per_minute = requests_per_minute + 1 where tenant_id = $1', [b.id])
      expect(await expectKept(c, 'a limit the directory does not show')).toBe(limited)
      // A bulk load turns ordinary triggers off; these stay on.
      await c.query('begin')
      await c.query('set local session_replication_role = replica')
      await c.query(`insert into tenants (slug, name) select 'digest-bulk-' || g || '-' || $1, 'Bulk ' || g from generate_series(1, 50) g`, [a.id.slice(0, 8)])
      await c.query('commit')
      const loaded = await expectKept(c, 'a bulk load with session_replication_role = replica')
      // Deleted as a bulk load would (an ordinary delete is audited, and the audit row names the tenant).
      await c.query('begin')
      await c.query('set local session_replication_role = replica')
      await c.query(`delete from tenants where slug like $1`, [`digest-bulk-%-${a.id.slice(0, 8)}`])
      await c.query('commit')
      expect(await expectKept(c, 'the bulk-loaded tenants deleted')).not.toBe(loaded)
      expect(seeded).toMatch(/^\d+:-?\d+:-?\d+:-?\d+$/)
    })
  })

  it('answer an all-tenants admin only', async () => {
    const assignedAdmin = await makeOperator(['admin'], [tenants[0]!.id])
    const others = [assignedAdmin, ...(await Promise.all((['support', 'finance', 'moderator'] as const).map((g) => makeOperator([g], [tenants[0]!.id]))))]
    for (const operator of others) {
      const { rows } = await operator.withClient((c) => c.query('select * from app.all_tenant_digests()'))
      expect(rows, operator.name).toEqual([])
      await expect(operator.withClient((c) => c.query('select * from all_tenant_digests')), operator.name).rejects.toMatchObject({ code: '42501' })
    }
    const { rows } = await everyTenant.withClient((c) => c.query('select * from app.all_tenant_digests()'))
    expect(rows).toHaveLength(1)
  })

  it("are what an all-tenants admin's sync compares, and a change reads the directory again", async () => {
    const [, , c] = tenants as [TenantSeed, TenantSeed, TenantSeed]
    const visible = await admin.withPlatform(fetchVisibleTenantsDigest)
    const directory = await admin.withPlatform((client) => fetchTenantDirectory(client, null))
    const kept = (await everyTenant.withClient((client) => client.query<{ tenant_set: string; directory: string }>('select * from app.all_tenant_digests()'))).rows[0]!
    expect(visible).toBe(`all:${kept.tenant_set}`)
    expect(directory.digest).toBe(`all:${kept.directory}`)
    expect(directory.rows?.some((r) => r[0] === c.id)).toBe(true)
    expect(await admin.withPlatform((client) => fetchTenantDirectory(client, directory.digest))).toEqual({ digest: directory.digest, rows: null })

    await withAdmin((client) => client.query(`update tenants set status = 'suspended', status_reason = 'Unpaid invoices since May' where id = $1`, [c.id]))
    const changed = await admin.withPlatform((client) => fetchTenantDirectory(client, directory.digest))
    expect(changed.digest).not.toBe(directory.digest)
    expect(changed.rows?.find((r) => r[0] === c.id)?.[3]).toBe('suspended')
    const [added] = await makeTenants(1, 'digest-new')
    expect(await admin.withPlatform(fetchVisibleTenantsDigest), 'a new tenant changes the visible set').not.toBe(visible)
    expect(added).toBeDefined()
  })
})
