import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enterSyncReader } from '../../src/main/cache/sync/pull'
import { RpcError } from '../../src/shared/rpc/errors'
import { derivedTenantTables, insertTenantRows, tenantOwnedTables, type TenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator, makeTenants, roleName, uniqueRoleName, withAdmin, type TestOperator } from '../helpers/db'

/**
 * Isolation suite, run as real login roles (never the superuser). The "matrix" role has every
 * DML privilege on every table, so what stops it is row-level security alone, not a missing grant.
 */
let admin: pg.Client
let tenantA: string
let tenantB: string
let rowsA: TenantRows
let rowsB: TenantRows
let tables: { table: string; column: string }[]
let matrix: TestOperator
let matrixClient: pg.Client

// Without a tenant in the transaction and under the sync role (enterSyncReader, migration 029), the
// sync reads these across the operator's visible tenants (one keyset query per table, migrations
// 014 and 023): never a row of a tenant the operator may not see.
const SYNC_ACROSS_TENANTS = new Set(['executions', 'execution_steps', 'audit_logs', 'usage_records', 'conversations', 'sync_tombstones', 'sync_purge_horizons'])
let tenantHidden: string
// A's rows as inserted, taken before any other test file's platform job can move them.
let docsA: Map<string, Record<string, unknown>>

// Rows a platform job run by another test file may consume meanwhile (the tests share the server's
// database): the usage fold deletes every pending delta it folds.
const CONSUMED_BY_JOBS = new Set(['usage_rollup_deltas'])

// Policies that deliberately do not depend on the tenant context (and why).
const CONTEXT_FREE = new Map([
  ['tenants', 'the directory lists the tenants the operator may see'],
  ['operator_tenants', 'an operator reads his own assignments'],
  ['break_glass_grants', 'an operator reads his own grants']
])

async function asTenant<T>(client: pg.Client, tenant: string | null, fn: () => Promise<T>): Promise<T> {
  await client.query('begin')
  try {
    if (tenant !== null) await client.query(`select set_config('app.current_tenant_id', $1, true)`, [tenant])
    return await fn()
  } finally {
    await client.query('rollback')
  }
}

beforeAll(async () => {
  admin = await adminClient()
  const [a, b] = await makeTenants(2, 'iso')
  tenantA = a!.id
  tenantB = b!.id
  const fixtureOwner = uniqueRoleName('fixture')
  await admin.query(`create role ${fixtureOwner} login in role ${roleName('support')}`)
  rowsA = await insertTenantRows(admin, tenantA, fixtureOwner)
  rowsB = await insertTenantRows(admin, tenantB, fixtureOwner)
  tenantHidden = (await makeTenants(1, 'iso-hidden'))[0]!.id
  await insertTenantRows(admin, tenantHidden, fixtureOwner)
  tables = await tenantOwnedTables(admin)
  docsA = new Map()
  for (const { table } of tables) {
    const { rows } = await admin.query<{ doc: Record<string, unknown> }>(`select to_jsonb(t) as doc from ${table} t where id = $1`, [rowsA[table]])
    if (rows[0]) docsA.set(table, rows[0].doc)
  }
  matrix = await makeOperator(['support'], [tenantA, tenantB], 'matrix')
  await admin.query(`grant select, insert, update, delete on all tables in schema public to ${matrix.name}`)
  matrixClient = await matrix.client()
})

afterAll(async () => {
  await matrixClient?.end()
  await admin?.end()
})

describe('catalog', () => {
  it('has a fixture row for every tenant-owned table', () => {
    expect(tables.length).toBeGreaterThanOrEqual(25)
    for (const { table } of tables) {
      expect(rowsA[table], table).toBeDefined()
      expect(docsA.has(table), `${table}: A's row as inserted`).toBe(true)
    }
  })

  it('enables and forces RLS on every table with a tenant column, partitions included', async () => {
    const { rows } = await admin.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
         and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`)
    expect(rows.length).toBeGreaterThan(25)
    const unprotected = rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname)
    expect(unprotected).toEqual([])
  })

  it('gives every writing policy a WITH CHECK and every tenant-owned table a policy', async () => {
    const { rows } = await admin.query<{ tablename: string; policyname: string; cmd: string; with_check: string | null; qual: string | null }>(
      `select tablename, policyname, cmd, with_check, qual from pg_policies where schemaname = 'public'`
    )
    const writing = rows.filter((p) => p.cmd === 'ALL' || p.cmd === 'INSERT' || p.cmd === 'UPDATE')
    expect(writing.filter((p) => p.with_check === null).map((p) => `${p.tablename}.${p.policyname}`)).toEqual([])
    for (const { table } of tables) {
      expect(rows.some((p) => p.tablename === table && p.cmd !== 'SELECT' && p.with_check !== null), table).toBe(true)
    }
    const isolation = rows.filter((p) => p.policyname === 'tenant_isolation')
    for (const p of isolation) expect(p.qual).toContain('current_visible_tenant_id')
  })

  it('has no superuser, BYPASSRLS or table-owning operator or group role', async () => {
    const { rows } = await admin.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
      `select r.rolname, r.rolsuper, r.rolbypassrls,
              (select count(*) from pg_class c where c.relowner = r.oid)::int as owns
         from pg_roles r where r.rolname like $1`,
      [`${roleName('')}%`]
    )
    expect(rows.length).toBeGreaterThanOrEqual(6)
    for (const r of rows) {
      expect(r.rolsuper, r.rolname).toBe(false)
      expect(r.rolbypassrls, r.rolname).toBe(false)
      if (r.rolname !== roleName('owner')) expect(r.owns, r.rolname).toBe(0)
    }
    const owners = await admin.query<{ owner: string }>(
      `select distinct pg_get_userbyid(relowner) as owner from pg_class
        where relnamespace in ('public'::regnamespace, 'app'::regnamespace) and relkind in ('r', 'p', 'v', 'm') and relname <> 'migrations'`
    )
    expect(owners.rows.map((r) => r.owner)).toEqual([roleName('owner')])
  })

  it('makes every view security_invoker and pins the search_path of every SECURITY DEFINER function', async () => {
    const views = await admin.query<{ relname: string; options: string[] | null }>(
      `select relname, reloptions as options from pg_class where relnamespace in ('public'::regnamespace, 'app'::regnamespace) and relkind = 'v'`
    )
    expect(views.rows.length).toBeGreaterThan(0)
    for (const v of views.rows) expect(v.options ?? [], v.relname).toContain('security_invoker=true')
    const definers = await admin.query<{ proname: string; proconfig: string[] | null; prosecdef: boolean; proleakproof: boolean }>(
      `select proname, proconfig, prosecdef, proleakproof from pg_proc where pronamespace in ('public'::regnamespace, 'app'::regnamespace)`
    )
    expect(definers.rows.filter((f) => f.prosecdef).length).toBeGreaterThan(5)
    for (const f of definers.rows.filter((f) => f.prosecdef)) {
      expect((f.proconfig ?? []).some((c) => c.startsWith('search_path=')), f.proname).toBe(true)
    }
    expect(definers.rows.filter((f) => f.proleakproof).map((f) => f.proname)).toEqual([])
  })

  it('grants no operator group SELECT on the usage rollup (app.daily_usage applies the rules)', async () => {
    for (const group of ['support', 'moderator', 'finance', 'admin']) {
      const { rows } = await admin.query<{ allowed: boolean }>(`select has_table_privilege($1, 'public.daily_usage_summary', 'SELECT') as allowed`, [roleName(group)])
      expect(rows[0]!.allowed, group).toBe(false)
    }
  })
})

describe('derived tables (the directory summary): under a tenant nothing of another is reachable', () => {
  it('shows only the context tenant’s rows, none without a context, and refuses a row for another tenant', async () => {
    const derived = await derivedTenantTables(admin)
    expect(derived).toEqual(expect.arrayContaining(['tenant_directory_summary', 'tenant_directory_usage']))
    // The directory's usage figures follow the AI-call rollup: give both fixture tenants a day of it.
    for (const tenant of [tenantA, tenantB]) {
      await admin.query(
        `insert into daily_usage_summary (tenant_id, usage_type, usage_date, currency, total_quantity, total_amount, record_count, first_record, last_record)
         values ($1, 'ai_calls', current_date, 'EUR', 5, 0, 1, now(), now()) on conflict do nothing`,
        [tenant]
      )
    }
    for (const table of derived) {
      const held = (await admin.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = any($1::uuid[])`, [[tenantA, tenantB]])).rows[0]!.n
      expect(held, `${table}: the triggers keep rows for the fixture tenants`).toBeGreaterThan(0)
      for (const context of [tenantB, null]) {
        const [foreign, refused] = await asTenant(matrixClient, context, async () => {
          const foreign = (await matrixClient.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id is distinct from $1::uuid`, [context])).rows[0]!.n
          await matrixClient.query('savepoint probe')
          const refused = await matrixClient.query(`insert into ${table} (tenant_id) values ($1)`, [tenantA]).then(
            () => null,
            (e: { code?: string }) => e.code
          )
          await matrixClient.query('rollback to savepoint probe')
          return [foreign, refused]
        })
        expect(foreign, `${table}: rows of other tenants under ${context}`).toBe(0)
        expect(refused, `${table}: a row for A under ${context}`).toBe('42501')
      }
    }
  })
})

describe('CRUD matrix: under tenant B nothing of tenant A is reachable', () => {
  it('reads none of A’s rows in any tenant-owned table', async () => {
    for (const { table } of tables) {
      const visible = await asTenant(matrixClient, tenantB, async () => {
        const own = await matrixClient.query(`select 1 from ${table} where id = $1`, [rowsB[table]])
        const foreign = await matrixClient.query(`select 1 from ${table} where id = $1`, [rowsA[table]])
        return { own: own.rowCount, foreign: foreign.rowCount }
      })
      expect(visible.foreign, `${table}: A's row under B`).toBe(0)
      if (!CONTEXT_FREE.has(table) && !CONSUMED_BY_JOBS.has(table)) expect(visible.own, `${table}: B's row under B`).toBe(1)
    }
  })

  it('refuses to insert a row for A under B’s context with 42501', async () => {
    for (const { table, column } of tables) {
      const { id, ...all } = docsA.get(table)!
      // Generated columns (the rollup's id is a function of its key) cannot be written: the copy leaves them out.
      const generated = await admin.query<{ attname: string }>(`select attname from pg_attribute where attrelid = $1::regclass and attgenerated <> ''`, [table])
      // A copy of A's row (new uuid; identity ids are left to their default), labelled for A.
      const doc: Record<string, unknown> = { ...all, ...(typeof id === 'string' ? { id: randomUUID() } : {}), [column]: tenantA }
      if (table === 'tenants') doc.slug = `copy-${randomUUID().slice(0, 8)}`
      for (const { attname } of generated.rows) delete doc[attname]
      const columns = Object.keys(doc).map((c) => `"${c}"`).join(', ')
      const error = await asTenant(matrixClient, tenantB, () =>
        matrixClient.query(`insert into ${table} (${columns}) select ${columns} from jsonb_populate_record(null::${table}, $1)`, [JSON.stringify(doc)]).then(
          () => null,
          (e: { code?: string }) => e
        )
      )
      expect(error?.code, table).toBe('42501')
    }
  })

  it('updates and deletes 0 of A’s rows under B’s context', async () => {
    for (const { table, column } of tables) {
      const counts = await asTenant(matrixClient, tenantB, async () => {
        const updated = await matrixClient.query(`update ${table} set ${column} = ${column} where id = $1`, [rowsA[table]])
        const deleted = await matrixClient.query(`delete from ${table} where id = $1`, [rowsA[table]])
        return [updated.rowCount, deleted.rowCount]
      })
      expect(counts, table).toEqual([0, 0])
    }
    const stillThere = await admin.query(`select 1 from executions where id = $1`, [rowsA.executions])
    expect(stillThere.rowCount).toBe(1)
  })
})

describe('missing, empty or malformed tenant context', () => {
  const contexts: [string, string | null][] = [
    ['missing', null],
    ['empty', ''],
    ['malformed', 'not-a-uuid'],
    ['injection attempt', `00000000-0000-0000-0000-000000000000' or true --`],
    ['not hex', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ']
  ]

  it.each(contexts)('%s context returns no tenant row of any table; under the sync role, the synced ones across visible tenants only', async (_label, value) => {
    for (const { table, column } of tables) {
      if (CONTEXT_FREE.has(table)) continue
      const count = async (ids: string[]) =>
        (await matrixClient.query<{ n: number }>(`select count(*)::int as n from ${table} where ${column} = any($1::uuid[])`, [ids])).rows[0]!.n
      const plain = await asTenant(matrixClient, value, async () => [await count([tenantA, tenantB]), await count([tenantHidden])])
      expect(plain, `${table}: without the sync role`).toEqual([0, 0])
      const asSync = await asTenant(matrixClient, value, async () => {
        await enterSyncReader(matrixClient)
        return [await count([tenantA, tenantB]), await count([tenantHidden])].map(String)
      }).catch((error: { code: string }) => error.code)
      if (SYNC_ACROSS_TENANTS.has(table)) {
        const [visible, hidden] = asSync as string[]
        expect(hidden, `${table}: a hidden tenant's rows`).toBe('0')
        expect(Number(visible), `${table}: visible tenants' rows for the sync`).toBeGreaterThan(0)
      } else {
        expect(asSync, `${table}: the sync role reads the synced tables only`).toBe('42501')
      }
    }
  })

  it('lists only visible tenants in the directory without a context', async () => {
    const [other] = await makeTenants(1, 'hidden')
    const { rows } = await matrixClient.query<{ id: string }>('select id from tenants where id = any($1::uuid[])', [[tenantA, tenantB, other!.id]])
    expect(rows.map((r) => r.id).sort()).toEqual([tenantA, tenantB].sort())
  })
})

describe('pooled connections', () => {
  it('does not carry a tenant into the next transaction on the same pooled client', async () => {
    const db = matrix.database({ maxConnections: 1 })
    try {
      const first = await db.withTenant(tenantA, async (c) => {
        // workflows: a tenant table the sync does not read across tenants (executions now are, for the sync).
        const { rows } = await c.query<{ pid: number; n: number }>('select pg_backend_pid() as pid, (select count(*)::int from workflows) as n')
        return rows[0]!
      })
      const second = await db.withPlatform(async (c) => {
        const { rows } = await c.query<{ pid: number; n: number; setting: string | null }>(
          `select pg_backend_pid() as pid, (select count(*)::int from workflows) as n, current_setting('app.current_tenant_id', true) as setting`
        )
        return rows[0]!
      })
      expect(first.n).toBeGreaterThan(0)
      expect(second.pid).toBe(first.pid)
      expect(second.n).toBe(0)
      expect(second.setting ?? '').toBe('')
    } finally {
      await db.close()
    }
  })

  it('rejects a malformed tenant id before touching the database', async () => {
    const db = matrix.database()
    try {
      await expect(db.withTenant(`${tenantA}' or 1=1`, async () => 1)).rejects.toMatchObject({ code: 'BAD_INPUT' })
      await expect(db.withTenant('', async () => 1)).rejects.toBeInstanceOf(RpcError)
    } finally {
      await db.close()
    }
  })

  it('keeps 50 concurrent workers on random tenants inside their own tenant', async () => {
    const tenants = (await makeTenants(5, 'conc')).map((t) => t.id)
    await withAdmin(async (c) => {
      for (const t of tenants) await insertTenantRows(c, t, matrix.name)
    })
    const worker = await makeOperator(['support'], tenants, 'conc')
    const db = worker.database({ maxConnections: 8 })
    let checked = 0
    try {
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          for (let i = 0; i < 6; i++) {
            const tenant = tenants[Math.floor(Math.random() * tenants.length)]!
            const rows = await db.withTenant(tenant, async (c) => {
              const { rows } = await c.query<{ tenant_id: string }>(
                `select tenant_id from executions union all select tenant_id from usage_records union all
                 select tenant_id from audit_logs union all select tenant_id from conversations union all select id from tenants where id = $1`,
                [tenant]
              )
              return rows
            })
            expect(rows.length).toBeGreaterThan(3)
            for (const row of rows) expect(row.tenant_id).toBe(tenant)
            checked += rows.length
          }
        })
      )
    } finally {
      await db.close()
    }
    expect(checked).toBeGreaterThan(50 * 6 * 3)
  })
})

describe('break-glass access', () => {
  it('makes an unassigned tenant visible with a reason, and invisible again once expired', async () => {
    const [hidden] = await makeTenants(1, 'glass')
    await withAdmin((c) => insertTenantRows(c, hidden!.id, matrix.name))
    const support = await makeOperator(['support'], [], 'glass')
    const db = support.database()
    const countExecutions = () => db.withTenant(hidden!.id, async (c) => (await c.query('select 1 from executions')).rowCount)
    const inDirectory = () => db.withPlatform(async (c) => (await c.query('select 1 from tenants where id = $1', [hidden!.id])).rowCount)
    try {
      expect(await countExecutions()).toBe(0)
      expect(await inDirectory()).toBe(0)
      await expect(
        db.withPlatform((c) => c.query('select app.request_break_glass($1, $2, $3)', [hidden!.id, 'short', 30]))
      ).rejects.toMatchObject({ code: 'INVALID' })

      const grant = await db.withPlatform(async (c) => {
        const { rows } = await c.query<{ id: string; operator: string }>('select id, operator from app.request_break_glass($1, $2, $3)', [
          hidden!.id,
          'Ticket 4711: customer cannot log in',
          30
        ])
        return rows[0]!
      })
      expect(grant.operator).toBe(support.name)
      expect(await countExecutions()).toBe(1)
      expect(await inDirectory()).toBe(1)
      const audit = await admin.query(`select actor from audit_logs where resource_type = 'break_glass_grants' and resource_id = $1`, [grant.id])
      expect(audit.rows).toEqual([{ actor: support.name }])

      await admin.query(`update break_glass_grants set granted_at = now() - interval '31 minutes', expires_at = now() - interval '1 minute' where id = $1`, [grant.id])
      expect(await countExecutions()).toBe(0)
      expect(await inDirectory()).toBe(0)
    } finally {
      await db.close()
    }
  })

  it('refuses break-glass to moderators and finance', async () => {
    const [target] = await makeTenants(1, 'glass2')
    for (const group of ['moderator', 'finance'] as const) {
      const op = await makeOperator([group])
      const db = op.database()
      try {
        await expect(db.withPlatform((c) => c.query('select app.request_break_glass($1, $2, 10)', [target!.id, 'I would like to look around']))).rejects.toMatchObject({
          code: 'FORBIDDEN'
        })
      } finally {
        await db.close()
      }
    }
  })
})
