import { randomBytes, randomUUID } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/main/db/migrate'
import { assignTenant, createOperator } from '../../src/main/db/operators'
import type { ConnectionConfig } from '../../src/main/db/types'
import { adminClient, connectClient, makeOperator, testDb } from '../helpers/db'
import { dropTestDatabase, type TestDatabase } from '../setup/global-db'

/**
 * Issue 9, item 1: a function planted in an operator-writable schema must never run as the
 * owner. Three layers: no definer function searches such a schema, nobody but the owner can
 * create in public, and `npm run migrate` refuses a database where that cannot be ensured.
 */

describe('the search path of code that runs as the owner', () => {
  it('is pg_catalog, pg_temp for every SECURITY DEFINER function, present and future', async () => {
    const admin = await adminClient()
    try {
      const { rows } = await admin.query<{ fn: string; path: string | null }>(
        `select p.oid::regprocedure::text as fn,
                (select substr(c, length('search_path=') + 1) from unnest(p.proconfig) c where c like 'search\\_path=%') as path
           from pg_proc p
          where p.prosecdef and p.pronamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          order by 1`
      )
      // The definer functions the migrations create (a guard against an empty, vacuous list).
      expect(rows.map((r) => r.fn)).toEqual(expect.arrayContaining(['app.append_audit(uuid,text,text,uuid,jsonb,jsonb)', 'app.record_tombstone()', 'app.can_see_tenant(uuid)']))
      const unsafe = rows.filter((r) => r.path !== 'pg_catalog, pg_temp')
      expect(unsafe).toEqual([])
    } finally {
      await admin.end()
    }
  })

  it('leaves no schema on those paths, nor app, writable by an operator group or PUBLIC', async () => {
    const admin = await adminClient()
    try {
      const groups = ['support', 'moderator', 'finance', 'admin'].map((g) => `${testDb().rolePrefix}_${g}`)
      const { rows } = await admin.query<{ schema: string; grantee: string }>(
        `select s.schema, g.grantee from unnest(array['pg_catalog', 'app', 'public']) s(schema), unnest($1::text[] || array['public']) g(grantee)
          where has_schema_privilege(g.grantee, s.schema, 'CREATE')`,
        [groups]
      )
      expect(rows).toEqual([])
    } finally {
      await admin.end()
    }
  })

  it('refuses an operator who tries to create a function in public or app', async () => {
    const operator = await makeOperator(['admin'], [null])
    await operator.withClient(async (client) => {
      for (const schema of ['public', 'app']) {
        await expect(client.query(`create function ${schema}.hashtextextended(text, integer) returns bigint language sql as 'select 0::bigint'`)).rejects.toMatchObject({
          code: '42501'
        })
      }
    })
  })
})

/**
 * A database as upgraded from PostgreSQL 14 or restored from an old dump: every role may create
 * objects in public. The outside review planted `public.hashtextextended(text, int4)` there as a
 * support operator; the audit trigger called it as the owner, and it assigned the operator to
 * every tenant.
 */
describe('a database whose schema public every role may write', () => {
  const id = randomBytes(4).toString('hex')
  const rolePrefix = `${testDb().rolePrefix}_pw${id}`
  const database = `avia_pubw_${id}`
  const db = testDb()
  const superConfig: ConnectionConfig = {
    host: db.host,
    port: db.port,
    database,
    user: db.adminUser,
    ...(db.adminPassword ? { password: db.adminPassword } : {}),
    sslMode: 'disable'
  }
  const target: TestDatabase = { ...db, url: '', database, rolePrefix }
  let admin: pg.Client

  beforeAll(async () => {
    const server = await connectClient({ ...superConfig, database: 'postgres' })
    try {
      await server.query(`create database ${database}`)
    } finally {
      await server.end()
    }
    admin = await connectClient(superConfig)
    await admin.query('grant create on schema public to public')
  })

  afterAll(async () => {
    await admin?.end()
    // Drops the database and every role carrying its prefix (which carries the run's prefix too).
    await dropTestDatabase(target)
  })

  it('is refused by npm run migrate when the migrating role cannot revoke that, and nothing is applied', async () => {
    const migrator = `${rolePrefix}_migrator`
    const password = randomBytes(12).toString('hex')
    await admin.query(`create role ${migrator} login createrole password '${password}'`)
    await admin.query(`grant create on database ${database} to ${migrator}`)
    await expect(migrate({ ...superConfig, user: migrator, password }, { rolePrefix })).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringMatching(/Every role may create objects in schema public.*REVOKE CREATE ON SCHEMA public FROM PUBLIC/)
    })
    const { rows } = await admin.query(`select to_regclass('public.migrations') as migrations, to_regnamespace('app') as app`)
    expect(rows).toEqual([{ migrations: null, app: null }])
  })

  it('is closed by the migrations when the migrating role may, and a planted built-in never runs as the owner', async () => {
    await migrate(superConfig, { rolePrefix })
    const open = await admin.query<{ open: boolean }>(`select has_schema_privilege('public', 'public', 'CREATE') as open`)
    expect(open.rows).toEqual([{ open: false }])

    const mine = randomUUID()
    const others = [randomUUID(), randomUUID()]
    await admin.query(`insert into tenants (id, slug, name) select id, 'pw-' || left(id::text, 8), 'Tenant' from unnest($1::uuid[]) id`, [[mine, ...others]])
    const name = `${rolePrefix}_op`
    const password = randomBytes(12).toString('hex')
    await createOperator(admin, { name, groups: ['support'], password })
    await assignTenant(admin, name, mine)
    const operator = await connectClient({ ...superConfig, user: name, password })
    const owner = `${rolePrefix}_owner`
    // Run as the owner, this assigns the caller to every tenant (once: its own audit row calls it again).
    const payload = (schema: string) => `
      create function ${schema}.hashtextextended(text, integer) returns bigint language plpgsql as $fn$
      begin
        if current_user = '${owner}' and current_setting('attack.done', true) is distinct from 'yes' then
          perform set_config('attack.done', 'yes', true);
          insert into public.operator_tenants (operator, tenant_id) select session_user, t.id from public.tenants t on conflict do nothing;
        end if;
        return pg_catalog.hashtextextended($1, $2::bigint);
      end $fn$`
    try {
      await expect(operator.query(payload('public'))).rejects.toMatchObject({ code: '42501' })

      // Even a function already there (planted before the upgrade) is not on the owner's path.
      await admin.query(payload('public'))
      await operator.query('begin')
      await operator.query(`select set_config('app.current_tenant_id', $1, true)`, [mine])
      const updated = await operator.query(`update tenants set website_url = 'https://planted.example' where id = $1`, [mine])
      expect(updated.rowCount).toBe(1)
      await operator.query('commit')
      const visible = await operator.query<{ tenant_id: string }>('select tenant_id from app.visible_tenants()')
      expect(visible.rows).toEqual([{ tenant_id: mine }])
    } finally {
      await operator.end()
    }
  })
})
