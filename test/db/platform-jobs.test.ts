import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeOperator, makeTenants, type TenantSeed } from '../helpers/db'

/**
 * Issue 9, item 2: jobs that touch every tenant (archival, event partitions, the usage summary)
 * are for an admin assigned to all tenants (or the owner), never for an admin of one tenant,
 * and each run leaves an audit row on the platform chain.
 */

let admin: pg.Client
let tenants: TenantSeed[]
let oldExecutions: string[]

const JOBS = [
  { job: 'archive_old_executions', sql: 'select app.archive_old_executions(90)' },
  { job: 'create_event_partitions', sql: 'select app.create_event_partitions(2)' },
  { job: 'fold_daily_usage', sql: 'select app.fold_daily_usage()' }
]

beforeAll(async () => {
  admin = await adminClient()
  tenants = await makeTenants(2, 'platform')
  oldExecutions = []
  for (const tenant of tenants) {
    const workflow = await admin.query<{ id: string }>(`insert into workflows (tenant_id, name) values ($1, 'Nightly export') returning id`, [tenant.id])
    const execution = await admin.query<{ id: string }>(
      `insert into executions (tenant_id, workflow_id, status, started_at, finished_at)
       values ($1, $2, 'success', now() - interval '200 days', now() - interval '200 days' + interval '1 minute') returning id`,
      [tenant.id, workflow.rows[0]!.id]
    )
    oldExecutions.push(execution.rows[0]!.id)
  }
})

afterAll(async () => {
  await admin?.end()
})

async function platformAuditRows(job: string, actor: string) {
  const { rows } = await admin.query<{ tenant_id: string | null; action: string; new_values: Record<string, unknown> }>(
    `select tenant_id, action, new_values from audit_logs where resource_type = $1 and actor = $2 order by seq`,
    [job, actor]
  )
  return rows
}

describe('platform-wide jobs', () => {
  it.each(JOBS)('$job: refused (42501) to an admin of one tenant, who changes nothing and leaves no audit row', async ({ job, sql }) => {
    const oneTenantAdmin = await makeOperator(['admin'], [tenants[0]!.id])
    await oneTenantAdmin.withClient((client) =>
      expect(client.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('admin assigned to all tenants') })
    )
    expect(await platformAuditRows(job, oneTenantAdmin.name)).toEqual([])
  })

  it('refuses the usage fold to finance too', async () => {
    const finance = await makeOperator(['finance'])
    await finance.withClient((client) => expect(client.query('select app.fold_daily_usage()')).rejects.toMatchObject({ code: '42501' }))
  })

  it('runs for an admin assigned to all tenants and audits each run on the platform chain', async () => {
    const allTenantsAdmin = await makeOperator(['admin'], [null])
    await allTenantsAdmin.withClient(async (client) => {
      for (const { sql } of JOBS) await client.query(sql)
    })
    const left = await admin.query('select id from executions where id = any($1)', [oldExecutions])
    expect(left.rowCount).toBe(0)

    // Other test files archive too, in parallel: compare with what this admin moved.
    const moved = await admin.query<{ archived: number; tenants: number }>(
      'select count(*)::int as archived, count(distinct tenant_id)::int as tenants from executions_archive where archived_by = $1',
      [allTenantsAdmin.name]
    )
    const [archival] = await platformAuditRows('archive_old_executions', allTenantsAdmin.name)
    expect(archival).toMatchObject({ tenant_id: null, action: 'EXECUTE', new_values: { days: 90, ...moved.rows[0] } })
    expect(await platformAuditRows('create_event_partitions', allTenantsAdmin.name)).toMatchObject([{ tenant_id: null, new_values: { months_ahead: 2 } }])
    expect(await platformAuditRows('fold_daily_usage', allTenantsAdmin.name)).toMatchObject([{ tenant_id: null, new_values: { changes: expect.any(Number) } }])
    const chain = await admin.query<{ status: string }>('select status from app.verify_audit_chain(null)')
    expect(chain.rows).toEqual([{ status: 'intact' }])
  })
})
