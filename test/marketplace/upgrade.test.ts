import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findMigrationsDir, migrate } from '../../src/main/db/migrate'
import { connectionConfig, testDb, withAdmin } from '../helpers/db'
import { dropTestDatabase } from '../setup/global-db'

/**
 * Migration 013 on a database that already has templates of the old model (pending_review,
 * archived, a claim without a lease): every one must land in a legal state with a version.
 */
const run = testDb()
const scratch = { ...run, database: `${run.database}_upg_${randomBytes(3).toString('hex')}`, rolePrefix: `${run.rolePrefix}_upg` }
let folder: string
let client: pg.Client

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'avc-upgrade-'))
  const before = path.join(folder, 'before')
  await cp(findMigrationsDir(), before, { recursive: true })
  for (const file of await readdir(before)) if (/^\d+_/.test(file) && Number.parseInt(file, 10) >= 12) await rm(path.join(before, file))
  await withAdmin((admin) => admin.query(`create database ${admin.escapeIdentifier(scratch.database)}`))
  const config = { ...connectionConfig(), database: scratch.database }
  await migrate(config, { rolePrefix: scratch.rolePrefix, migrationsDir: before })
  client = new pg.Client({ ...config, ssl: false })
  await client.connect()
  const tenant = (await client.query(`insert into tenants (slug, name) values ('old-shop', 'Old shop') returning id`)).rows[0].id
  const user = (await client.query(`insert into users (tenant_id, email, full_name) values ($1, 'old@example.com', 'Old') returning id`, [tenant])).rows[0].id
  const workflow = (await client.query(`insert into workflows (tenant_id, name, definition) values ($1, 'Flow', '{"nodes":[{"id":"a"}]}') returning id`, [tenant])).rows[0].id
  const rows: [string, string, string | null][] = [
    ['draft', 'draft', null],
    ['waiting', 'pending_review', null],
    ['claimed', 'pending_review', 'someone'],
    ['live', 'published', null],
    ['retired', 'archived', null]
  ]
  for (const [name, status, claimedBy] of rows) {
    await client.query(
      `insert into templates (tenant_id, creator_user_id, workflow_id, name, description, category, status, submitted_at, published_at, claimed_by, claimed_at)
       values ($1, $2, $3, $4, 'old', 'crm', $5::text, case when $5::text <> 'draft' then now() end,
               case when $5::text in ('published', 'archived') then now() end, $6::name, case when $6::name is not null then now() end)`,
      [tenant, user, workflow, name, status, claimedBy]
    )
  }
  await migrate(config, { rolePrefix: scratch.rolePrefix })
})

afterAll(async () => {
  await client?.end()
  await dropTestDatabase(scratch)
  await rm(folder, { recursive: true, force: true })
})

describe('migration 012 on existing templates', () => {
  it('maps the old states and snapshots the workflow each one pointed at', async () => {
    const { rows } = await client.query(
      `select t.name, t.status, v.number, v.definition, t.approved_version_id = v.id as approved, t.published_version_id = v.id as published
         from templates t left join template_versions v on v.id = t.current_version_id order by t.name`
    )
    expect(rows).toEqual([
      { name: 'claimed', status: 'in_review', number: 1, definition: { nodes: [{ id: 'a' }] }, approved: null, published: null },
      { name: 'draft', status: 'draft', number: null, definition: null, approved: null, published: null },
      { name: 'live', status: 'published', number: 1, definition: { nodes: [{ id: 'a' }] }, approved: true, published: true },
      { name: 'retired', status: 'taken_down', number: 1, definition: { nodes: [{ id: 'a' }] }, approved: true, published: true },
      { name: 'waiting', status: 'submitted', number: 1, definition: { nodes: [{ id: 'a' }] }, approved: null, published: null }
    ])
  })
})
