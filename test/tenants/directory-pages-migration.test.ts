import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findMigrationsDir, migrate } from '../../src/main/db/migrate'
import { assignTenant, createOperator } from '../../src/main/db/operators'
import { connectionConfig, testDb, withAdmin } from '../helpers/db'
import { dropTestDatabase } from '../setup/global-db'

/**
 * Migration 027 on a database that already has tenants: one with domains, a limit and a
 * credential, one with nothing kept by 021 (no summary row then), and the summary row of a tenant
 * deleted in a bulk load with the cascade skipped. After it every tenant has its row with the
 * sort columns filled, the orphan is gone, and the directory's pages list exactly the tenants.
 */

const run = testDb()
const scratch = { ...run, database: `${run.database}_dirpages_${randomBytes(3).toString('hex')}`, rolePrefix: `${run.rolePrefix}_dp` }
const MIGRATION = '027_directory_pages.sql'
let folder: string
let client: pg.Client
const admin = `${scratch.rolePrefix}_boss`
const password = randomBytes(12).toString('hex')
const ids: Record<'kept' | 'bare' | 'gone', string> = { kept: '', bare: '', gone: '' }

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'avc-dirpages-'))
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
  for (const [key, name] of [['kept', 'Kept Legal'], ['bare', 'bare tenant'], ['gone', 'Gone']] as const) {
    ids[key] = (await client.query(`insert into tenants (slug, name, contact_email) values ($1, $2, $3) returning id`, [key + '-t', name, `Ops@${key}.example.com`])).rows[0].id
  }
  for (const key of ['kept', 'gone'] as const) {
    await client.query(`insert into tenant_domains (tenant_id, domain, verified) values ($1, $2, true)`, [ids[key], `${key}.example.org`])
  }
  await client.query(`insert into tenant_limits (tenant_id, agent_usage_limit) values ($1, 400)`, [ids.kept])
  await client.query(
    `insert into tenant_credentials (tenant_id, client_id, client_secret_encrypted, hmac_secret_encrypted, expires_at) values ($1, 'kept-live', 'enc:test', 'enc:test', now() + interval '3 days')`,
    [ids.kept]
  )
  // A bulk delete as replica skips the foreign keys' cascade: 021's row of that tenant stays behind.
  await client.query('begin')
  await client.query('set local session_replication_role = replica')
  await client.query('delete from tenant_domains where tenant_id = $1', [ids.gone])
  await client.query('delete from tenants where id = $1', [ids.gone])
  await client.query('commit')
  await createOperator(client, { name: admin, groups: ['admin'], password })
  await assignTenant(client, admin, null)
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

describe('migration 027 on existing tenants', () => {
  it('gives every tenant its summary row with the sort columns, and drops the rows of deleted tenants', async () => {
    const { rows } = await client.query(
      `select tenant_id, name_key, slug, email_key, status, plan_type, verified_domains, usage_ratio::float8 as usage_ratio, search_text, ratio_day = (now() at time zone 'UTC')::date - 1 as today
         from tenant_directory_summary order by name_key`
    )
    expect(rows).toEqual([
      { tenant_id: ids.bare, name_key: 'bare tenant', slug: 'bare-t', email_key: 'ops@bare.example.com', status: 'active', plan_type: 'starter',
        verified_domains: 0, usage_ratio: null, search_text: 'bare tenant\nbare-t\nops@bare.example.com\n', today: true },
      { tenant_id: ids.kept, name_key: 'kept legal', slug: 'kept-t', email_key: 'ops@kept.example.com', status: 'active', plan_type: 'starter',
        verified_domains: 1, usage_ratio: 0, search_text: 'kept legal\nkept-t\nops@kept.example.com\nkept.example.org', today: true }
    ])
  })

  it('lists exactly the tenants, page by page, with their count', async () => {
    const boss = new pg.Client({ ...connectionConfig(), database: scratch.database, user: admin, password, ssl: false })
    await boss.connect()
    try {
      const page = await boss.query(`select id, name, domains, credentials_expiring, total, total_capped from app.tenant_directory_page(null, null, null, null, 'name', false, 0, 10, 1000)`)
      expect(page.rows).toEqual([
        { id: ids.bare, name: 'bare tenant', domains: [], credentials_expiring: 0, total: 2, total_capped: false },
        { id: ids.kept, name: 'Kept Legal', domains: ['kept.example.org'], credentials_expiring: 1, total: 2, total_capped: false }
      ])
      const search = await boss.query(`select id from app.tenant_directory_page('example.org', null, null, null, 'name', true, 0, 10, 1000)`)
      expect(search.rows).toEqual([{ id: ids.kept }])
    } finally {
      await boss.end()
    }
  })
})
