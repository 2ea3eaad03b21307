import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findMigrationsDir, migrate } from '../../src/main/db/migrate'
import { createOperator } from '../../src/main/db/operators'
import { connectionConfig, testDb, withAdmin } from '../helpers/db'
import { dropTestDatabase } from '../setup/global-db'

/**
 * Migration 024 on a database that already has operators, assignments and break-glass grants
 * (one in force, one expired, one to a role that no longer exists): they are kept as they were,
 * the grant in force can be ended, and its end is audited on the intact chain.
 */

const run = testDb()
const scratch = { ...run, database: `${run.database}_operators_${randomBytes(3).toString('hex')}`, rolePrefix: `${run.rolePrefix}_om` }
const MIGRATION = '024_operators.sql'
let folder: string
let client: pg.Client
let tenant: string
const admin = `${scratch.rolePrefix}_boss`
const support = `${scratch.rolePrefix}_helper`
const password = randomBytes(12).toString('hex')

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'avc-operators-'))
  const before = path.join(folder, 'before')
  const number = Number(MIGRATION.slice(0, 3))
  await cp(findMigrationsDir(), before, {
    recursive: true,
    filter: (source) => {
      const numbered = /(\d{3})_[^/\\]+\.sql$/.exec(source)
      return !numbered || Number(numbered[1]) < number
    }
  })
  await withAdmin((c) => c.query(`create database ${c.escapeIdentifier(scratch.database)}`))
  const config = { ...connectionConfig(), database: scratch.database }
  await migrate(config, { rolePrefix: scratch.rolePrefix, migrationsDir: before })
  client = new pg.Client({ ...config, ssl: false })
  await client.connect()
  tenant = (await client.query(`insert into tenants (slug, name) values ('kept', 'Kept') returning id`)).rows[0].id
  await createOperator(client, { name: admin, groups: ['admin'], password })
  await createOperator(client, { name: support, groups: ['support'], password })
  await client.query(`insert into operator_tenants (operator, tenant_id) values ($1, null), ($2, $3), ('a_role_long_gone', $3)`, [admin, support, tenant])
  await client.query(
    `insert into break_glass_grants (operator, tenant_id, reason, granted_at, expires_at) values
       ($1, $2, 'Still needed for the open ticket', now() - interval '10 minutes', now() + interval '50 minutes'),
       ($1, $2, 'An old one from last week', now() - interval '7 days', now() - interval '7 days' + interval '1 hour')`,
    [support, tenant]
  )
  const after = path.join(folder, 'after')
  await cp(findMigrationsDir(), after, { recursive: true })
  const { applied } = await migrate(config, { rolePrefix: scratch.rolePrefix, migrationsDir: after })
  expect(applied[0]).toBe(MIGRATION)
})

afterAll(async () => {
  await client?.end()
  await dropTestDatabase(scratch)
  if (folder) await rm(folder, { recursive: true, force: true })
})

describe('migration 024 on existing operators and grants', () => {
  it('keeps assignments (even to a vanished role) and grants as they were, with no end recorded', async () => {
    const assigned = await client.query('select operator::text from operator_tenants order by operator')
    expect(assigned.rows.map((r) => r.operator)).toEqual(['a_role_long_gone', admin, support].sort())
    const grants = await client.query(`select expires_at > now() as in_force, ended_by, end_reason from break_glass_grants order by granted_at`)
    expect(grants.rows).toEqual([
      { in_force: false, ended_by: null, end_reason: null },
      { in_force: true, ended_by: null, end_reason: null }
    ])
    expect((await client.query('select operator::text, groups from app.operators() order by operator')).rows).toEqual([
      { operator: admin, groups: ['admin'] },
      { operator: support, groups: ['support'] }
    ])
  })

  it('lets the all-tenants admin end the grant in force, audited with him as actor on an intact chain', async () => {
    const boss = new pg.Client({ ...connectionConfig(), database: scratch.database, user: admin, password, ssl: false })
    await boss.connect()
    try {
      const grants = await boss.query(`select id from break_glass_grants where expires_at > statement_timestamp()`)
      expect(grants.rowCount).toBe(1)
      await boss.query('select app.end_break_glass($1, $2)', [grants.rows[0].id, 'Ticket closed this morning'])
      await expect(boss.query('select app.end_break_glass($1, $2)', [grants.rows[0].id, 'Ticket closed this morning'])).rejects.toMatchObject({ code: 'AV422' })
    } finally {
      await boss.end()
    }
    const audit = await client.query(`select actor, new_values ->> 'end_reason' as reason from audit_logs where resource_type = 'break_glass_grants' and action = 'UPDATE'`)
    expect(audit.rows).toEqual([{ actor: admin, reason: 'Ticket closed this morning' }])
    expect((await client.query('select status from app.verify_audit_chain($1)', [tenant])).rows[0].status).toBe('intact')
  })
})
