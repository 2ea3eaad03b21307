import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/main/db/migrate'
import type { ConnectionConfig } from '../../src/main/db/types'
import { dropTestDatabase, type TestDatabase } from '../setup/global-db'
import { createMaintenanceRunner, type MaintenanceRunner } from '../../src/main/maintenance/runner'
import { MAINTENANCE_JOBS } from '../../src/shared/rpc/areas/maintenance'
import { adminClient, makeOperator, makeTenants, testDb, withClient, type TenantSeed, type TestOperator } from '../helpers/db'

/**
 * Issue 14, maintenance jobs (migration 014; one file, because every test here shares the job rows): the lease that lets one runner run
 * a job, archival in batches whose purge horizons never run ahead of what is still online, the
 * DEFAULT events partition and the move of its rows, and the verification of every chain.
 */

let admin: pg.Client
let platformAdmin: TestOperator
let tenants: TenantSeed[]

beforeAll(async () => {
  admin = await adminClient()
  platformAdmin = await makeOperator(['admin'], [null])
  tenants = await makeTenants(2, 'maint')
})

afterAll(async () => {
  await admin?.end()
})

function monthStartUtc(monthsAhead: number): Date {
  const now = new Date()
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead, 1))
}

describe('events partitions', () => {
  // A database of its own: other suites create event partitions of the run's database in parallel
  // (up to seven months ahead), which would give the fifth month a partition before this test's event.
  const id = randomBytes(4).toString('hex')
  const db = testDb()
  const target: TestDatabase = { ...db, url: '', database: `avia_parts_${id}`, rolePrefix: `${db.rolePrefix}_pt${id}` }
  const config: ConnectionConfig = {
    host: db.host,
    port: db.port,
    database: target.database,
    user: db.adminUser,
    ...(db.adminPassword ? { password: db.adminPassword } : {}),
    sslMode: 'disable'
  }

  beforeAll(async () => {
    await withClient({ ...config, database: 'postgres' }, (server) => server.query(`create database ${target.database}`))
    await migrate(config, { rolePrefix: target.rolePrefix })
  })
  afterAll(async () => {
    await dropTestDatabase(target)
  })

  it('stores an event five months ahead in the DEFAULT partition, and the partition job moves it into its own, losing nothing', async () => {
    await withClient(config, async (owner) => {
      const tenant = await owner.query<{ id: string }>(`insert into tenants (slug, name) values ('parts-${id}', 'Partitions') returning id`)
      const tenantId = tenant.rows[0]!.id
      const month = monthStartUtc(5)
      const partition = `events_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`
      const occurred = new Date(month.getTime() + 3 * 86_400_000 + 3_600_000)
      const inserted = await owner.query<{ id: string; where: string }>(
        `insert into events (tenant_id, event_type, event_data, occurred_at) values ($1, 'user_login', '{"n": 1}', $2)
         returning id, tableoid::regclass::text as where`,
        [tenantId, occurred]
      )
      const eventId = inserted.rows[0]!.id
      expect(inserted.rows[0]!.where).toBe('events_default')
      const before = await owner.query(`select to_jsonb(e) as row from events e where id = $1`, [eventId])
      const coverageBefore = await owner.query<{ covered_until: Date; default_rows: string }>('select * from app.event_partition_coverage()')
      expect(coverageBefore.rows[0]!.covered_until.getTime()).toBeLessThanOrEqual(month.getTime())
      expect(coverageBefore.rows[0]!.default_rows).toBe('1')

      // Three months ahead (the schedule's setting) leaves it waiting; five months ahead moves it.
      await owner.query('select app.create_event_partitions(3)')
      expect((await owner.query(`select tableoid::regclass::text as where from events where id = $1`, [eventId])).rows).toEqual([{ where: 'events_default' }])
      const created = await owner.query<{ n: number }>('select app.create_event_partitions(5) as n')
      expect(created.rows[0]!.n).toBe(2)

      const after = await owner.query<{ row: unknown; where: string }>(`select to_jsonb(e) as row, e.tableoid::regclass::text as where from events e where id = $1`, [eventId])
      expect(after.rows).toHaveLength(1)
      expect(after.rows[0]!.where).toBe(partition)
      expect(after.rows[0]!.row).toEqual(before.rows[0]!.row)
      expect((await owner.query('select count(*)::int as n from events_default')).rows).toEqual([{ n: 0 }])
      expect((await owner.query('select count(*)::int as n from events')).rows).toEqual([{ n: 1 }])

      // The new partition is isolated like its siblings, and the move is on the platform audit chain.
      const rls = await owner.query('select relrowsecurity, relforcerowsecurity from pg_class where oid = $1::regclass', [`public.${partition}`])
      expect(rls.rows).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }])
      const audit = await owner.query<{ new_values: { moved: number; created: number } }>(
        `select new_values from audit_logs where resource_type = 'create_event_partitions' order by seq desc limit 1`
      )
      expect(audit.rows[0]!.new_values).toMatchObject({ moved: 1, created: 2 })
      const coverage = await owner.query<{ covered_until: Date }>('select * from app.event_partition_coverage()')
      expect(coverage.rows[0]!.covered_until.getTime()).toBe(monthStartUtc(6).getTime())
    })
  })

  it('lets the operator of the tenant read the event wherever it is', async () => {
    const tenantAdmin = await makeOperator(['admin'], [tenants[0]!.id])
    const event = await admin.query<{ id: string }>(
      `insert into events (tenant_id, event_type, occurred_at) values ($1, 'user_login', now() + interval '100 months') returning id`,
      [tenants[0]!.id]
    )
    const seen = await tenantAdmin.database().withTenant(tenants[0]!.id, (client) => client.query('select id from events where id = $1', [event.rows[0]!.id]))
    expect(seen.rowCount).toBe(1)
    const other = await makeOperator(['admin'], [tenants[1]!.id])
    const hidden = await other.database().withTenant(tenants[1]!.id, (client) => client.query('select id from events where id = $1', [event.rows[0]!.id]))
    expect(hidden.rowCount).toBe(0)
  })
})

describe('the lease of a maintenance job', () => {
  it('goes to one of two runners claiming at once; the other gets null and cannot report or finish', async () => {
    const other = await makeOperator(['admin'], [null])
    const [a, b] = await Promise.all(
      [platformAdmin, other].map((op) =>
        op.withClient((client) => client.query<{ run: string | null }>(`select app.claim_maintenance_job('verify_audit_chains', 60, true) as run`))
      )
    )
    const runs = [a!.rows[0]!.run, b!.rows[0]!.run]
    expect(runs.filter((r) => r !== null)).toHaveLength(1)
    const winner = runs[0] !== null ? platformAdmin : other
    const loser = runs[0] !== null ? other : platformAdmin
    const run = runs.find((r) => r !== null)!

    await loser.withClient((client) =>
      expect(client.query(`select app.report_maintenance_progress('verify_audit_chains', gen_random_uuid(), 1, 2, 60)`)).rejects.toMatchObject({ code: 'AV409' })
    )
    await winner.withClient(async (client) => {
      await client.query(`select app.report_maintenance_progress('verify_audit_chains', $1, 1, 2, 60)`, [run])
      const running = await client.query(`select running_by, progress_done::int, progress_total::int from app.maintenance_jobs() where job = 'verify_audit_chains'`)
      expect(running.rows).toEqual([{ running_by: winner.name, progress_done: 1, progress_total: 2 }])
      await client.query(`select app.finish_maintenance_job('verify_audit_chains', $1, 7, null)`, [run])
      const done = await client.query(
        `select running_by, last_rows::int, last_run_by, last_error, last_duration_ms >= 0 as timed from app.maintenance_jobs() where job = 'verify_audit_chains'`
      )
      expect(done.rows).toEqual([{ running_by: null, last_rows: 7, last_run_by: winner.name, last_error: null, timed: true }])
      // Finished: the lease is free again.
      const again = await client.query<{ run: string | null }>(`select app.claim_maintenance_job('verify_audit_chains', 60, true) as run`)
      expect(again.rows[0]!.run).not.toBeNull()
      await client.query(`select app.finish_maintenance_job('verify_audit_chains', $1, 0, 'stopped by the test')`, [again.rows[0]!.run])
    })
  })

  it('is not given unforced while the schedule is off, and is given once it is on and the job is due', async () => {
    await platformAdmin.withClient(async (client) => {
      await client.query('select app.set_maintenance_schedule(false, 90, 86400, 86400, 300, 86400)')
      const off = await client.query<{ run: string | null }>(`select app.claim_maintenance_job('fold_daily_usage', 60, false) as run`)
      expect(off.rows[0]!.run).toBeNull()
      await client.query('select app.set_maintenance_schedule(true, 90, 86400, 86400, 300, 86400)')
      const due = await client.query<{ run: string | null; next: Date | null }>(
        `select app.claim_maintenance_job('fold_daily_usage', 60, false) as run`
      )
      expect(due.rows[0]!.run).not.toBeNull()
      await client.query(`select app.finish_maintenance_job('fold_daily_usage', $1, 0, null)`, [due.rows[0]!.run])
      // Just ran: not due again for five minutes.
      const notDue = await client.query<{ run: string | null }>(`select app.claim_maintenance_job('fold_daily_usage', 60, false) as run`)
      expect(notDue.rows[0]!.run).toBeNull()
      const next = await client.query<{ gap: number }>(
        `select extract(epoch from next_run_at - last_started_at)::int as gap from app.maintenance_jobs() where job = 'fold_daily_usage'`
      )
      expect(next.rows).toEqual([{ gap: 300 }])
      await client.query('select app.set_maintenance_schedule(false, 90, 86400, 86400, 300, 86400)')
    })
    const audit = await admin.query(`select 1 from audit_logs where resource_type = 'maintenance_settings' and actor = $1`, [platformAdmin.name])
    expect(audit.rowCount).toBe(3)
  })

  it('refuses bad settings (22023) and changes nothing', async () => {
    await platformAdmin.withClient(async (client) => {
      const before = await client.query('select * from app.maintenance_jobs()')
      for (const sql of [
        'select app.set_maintenance_schedule(true, 0, 86400, 86400, 300, 86400)',
        'select app.set_maintenance_schedule(true, 90, 10, 86400, 300, 86400)',
        'select app.set_maintenance_schedule(true, 90, 86400, null, 300, 86400)',
        `select app.claim_maintenance_job('drop_everything', 60, true)`,
        `select app.claim_maintenance_job('fold_daily_usage', 0, true)`
      ]) {
        await expect(client.query(sql)).rejects.toMatchObject({ code: '22023' })
      }
      expect((await client.query('select * from app.maintenance_jobs()')).rows).toEqual(before.rows)
    })
  })

  it('is refused (42501) to an admin of one tenant, to support and to finance, who cannot read the job tables either', async () => {
    const operators = [await makeOperator(['admin'], [tenants[0]!.id]), await makeOperator(['support'], [null]), await makeOperator(['finance'])]
    for (const op of operators) {
      await op.withClient(async (client) => {
        for (const sql of [
          `select app.claim_maintenance_job('fold_daily_usage', 60, true)`,
          'select * from app.maintenance_jobs()',
          'select * from maintenance_jobs',
          'select * from maintenance_settings',
          'select app.archive_executions_batch(90, 10)'
        ]) {
          await expect(client.query(sql)).rejects.toMatchObject({ code: '42501' })
        }
      })
    }
  })

  it('keeps the job tables and the archive under forced row-level security', async () => {
    const { rows } = await admin.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `select relname, relrowsecurity, relforcerowsecurity from pg_class
        where oid in ('public.maintenance_jobs'::regclass, 'public.maintenance_settings'::regclass, 'public.executions_archive'::regclass,
                      'public.events_default'::regclass)
        order by relname`
    )
    expect(rows.every((r) => r.relrowsecurity && r.relforcerowsecurity)).toBe(true)
    expect(rows).toHaveLength(4)
  })
})

describe('archival in batches', () => {
  it('moves the oldest rows first, and a batch horizon never drops a row that is still online', async () => {
    // Older than anything else in the run's database, so these come first in every batch.
    const ids: string[] = []
    for (const [i, tenant] of tenants.entries()) {
      const workflow = await admin.query<{ id: string }>(`insert into workflows (tenant_id, name) values ($1, 'Archive me') returning id`, [tenant.id])
      for (let k = 0; k < 3; k++) {
        const { rows } = await admin.query<{ id: string }>(
          `insert into executions (tenant_id, workflow_id, status, started_at, finished_at)
           values ($1, $2, 'success', now() - make_interval(days => 5000 - $3::int), now() - make_interval(days => 5000 - $3::int) + interval '1 minute')
           returning id`,
          [tenant.id, workflow.rows[0]!.id, k * 2 + i]
        )
        ids.push(rows[0]!.id)
      }
    }
    const archivedByMe: number[] = []
    await platformAdmin.withClient(async (client) => {
      const total = await client.query<{ n: string }>('select app.archivable_executions(3000) as n')
      expect(Number(total.rows[0]!.n)).toBeGreaterThanOrEqual(ids.length)
      for (;;) {
        const { rows } = await client.query<{ n: number }>('select app.archive_executions_batch(3000, 2) as n')
        archivedByMe.push(rows[0]!.n)
        // The invariant caches rely on: nothing online of a tenant finished before its horizons.
        const unsafe = await admin.query(
          `select h.tenant_id from sync_purge_horizons h join executions e on e.tenant_id = h.tenant_id and e.finished_at < h.before_ts
            where h.tenant_id = any($1)`,
          [tenants.map((t) => t.id)]
        )
        expect(unsafe.rows).toEqual([])
        if (rows[0]!.n < 2) break
      }
    })
    expect(archivedByMe.every((n) => n <= 2)).toBe(true)
    const online = await admin.query('select id from executions where id = any($1)', [ids])
    expect(online.rowCount).toBe(0)
    const archived = await admin.query('select id from executions_archive where id = any($1)', [ids])
    expect(archived.rowCount).toBe(ids.length)
    const audit = await admin.query<{ new_values: { archived: number; batch_size: number } }>(
      `select new_values from audit_logs where resource_type = 'archive_old_executions' and actor = $1 order by seq`,
      [platformAdmin.name]
    )
    expect(audit.rows.map((r) => r.new_values.archived)).toEqual(archivedByMe)
  })
})

describe('audit chain verification', () => {
  it('verifies the platform chain and every tenant chain in batches, and reports a broken one without stopping', async () => {
    const [broken] = await makeTenants(1, 'maint-broken')
    // Its chain: the tenant's INSERT row, then these two.
    await admin.query(`select app.append_audit($1, 'UPDATE', 'tenants', $1, null, '{"x": 1}')`, [broken!.id])
    await admin.query(`select app.append_audit($1, 'UPDATE', 'tenants', $1, null, '{"x": 2}')`, [broken!.id])
    await admin.query(`update audit_logs set new_values = '{"x": 3}' where tenant_id = $1 and new_values = '{"x": 2}'`, [broken!.id])
    const results = await platformAdmin.withClient((client) =>
      client.query<{ tenant_id: string | null; status: string; chain_rows: string; reason: string | null }>(
        'select * from app.verify_audit_chains(null, true, 10000)'
      )
    )
    expect(results.rows[0]).toMatchObject({ tenant_id: null, status: 'intact' })
    const mine = results.rows.find((r) => r.tenant_id === broken!.id)
    expect(mine).toMatchObject({ status: 'broken', reason: 'row content does not match its hash', chain_rows: '3' })
    expect(results.rows.filter((r) => r.tenant_id === tenants[0]!.id)).toHaveLength(1)

    // A second page starts after the given tenant.
    const page = await platformAdmin.withClient((client) =>
      client.query<{ tenant_id: string }>('select tenant_id from app.verify_audit_chains($1, false, 1)', [broken!.id])
    )
    expect(page.rows.every((r) => r.tenant_id > broken!.id)).toBe(true)
  })
})

describe('the console runner', () => {
  function runnerOf(op: TestOperator): MaintenanceRunner {
    const db = op.database()
    return createMaintenanceRunner({ db: () => db, mayRun: () => true, log: () => undefined, tickMs: 0 })
  }

  it('runs each due job once when two consoles look at the schedule at the same moment', async () => {
    const other = await makeOperator(['admin'], [null])
    const runners = [runnerOf(platformAdmin), runnerOf(other)]
    const since = await admin.query<{ seq: string }>('select coalesce(max(seq), 0)::text as seq from audit_logs')
    await platformAdmin.withClient((client) => client.query('select app.set_maintenance_schedule(true, 90, 3600, 3600, 3600, 3600)'))
    // Every job due now (setup as the superuser: no operator may write the job rows).
    await admin.query('update maintenance_jobs set last_started_at = null')
    try {
      const [first, second] = await Promise.all(runners.map((r) => r.runDue()))
      for (const job of MAINTENANCE_JOBS) {
        const ran = [...first!, ...second!].filter((o) => o.job === job && o.ran)
        expect(ran, job).toHaveLength(1)
        // Chains broken on purpose (the test above, the audit suites) are the verification's finding, not a failure.
        if (job === 'verify_audit_chains') expect(ran[0]!.rows).toBeGreaterThan(0)
        else expect(ran[0]!.error, job).toBeNull()
      }
      const rows = await platformAdmin.withClient((client) =>
        client.query<{ job: string; last_run_by: string; last_rows: string; running_by: string | null }>('select job, last_run_by, last_rows, running_by from app.maintenance_jobs()')
      )
      for (const row of rows.rows) {
        const outcome = [...first!, ...second!].find((o) => o.job === row.job && o.ran)!
        expect([platformAdmin.name, other.name]).toContain(row.last_run_by)
        expect(Number(row.last_rows)).toBe(outcome.rows)
        expect(row.running_by).toBeNull()
      }
      // One fold and one chain verification on the platform chain, not two.
      const audit = await admin.query<{ resource_type: string; n: number }>(
        `select resource_type, count(*)::int as n from audit_logs
          where seq > $1 and actor = any($2) and resource_type in ('fold_daily_usage', 'create_event_partitions')
          group by 1 order by 1`,
        [since.rows[0]!.seq, [platformAdmin.name, other.name]]
      )
      expect(audit.rows).toEqual([
        { resource_type: 'create_event_partitions', n: 1 },
        { resource_type: 'fold_daily_usage', n: 1 }
      ])
      // Nothing is due right after: neither console runs anything.
      const again = await Promise.all(runners.map((r) => r.runDue()))
      expect(again.flat().filter((o) => o.ran)).toEqual([])
    } finally {
      await platformAdmin.withClient((client) => client.query('select app.set_maintenance_schedule(false, 90, 86400, 86400, 300, 86400)'))
      runners.forEach((r) => r.close())
    }
  })

  it('refuses "run now" with CONFLICT, naming the holder, while another console runs the job', async () => {
    const other = await makeOperator(['admin'], [null])
    const held = await other.withClient((client) => client.query<{ run: string }>(`select app.claim_maintenance_job('event_partitions', 60, true)::text as run`))
    const runner = runnerOf(platformAdmin)
    try {
      await expect(runner.runNow('event_partitions')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(other.name) })
      await other.withClient((client) => client.query(`select app.finish_maintenance_job('event_partitions', $1, 0, null)`, [held.rows[0]!.run]))
      const { finished } = await runner.runNow('event_partitions')
      expect(await finished).toMatchObject({ job: 'event_partitions', ran: true, error: null })
    } finally {
      runner.close()
    }
  })

  it('stops asking a database that refuses an admin of one tenant', async () => {
    const oneTenant = await makeOperator(['admin'], [tenants[0]!.id])
    const db = oneTenant.database()
    let asked = 0
    const runner = createMaintenanceRunner({
      db: () => {
        asked += 1
        return db
      },
      mayRun: () => true,
      log: () => undefined,
      tickMs: 0
    })
    expect(await runner.runDue()).toEqual([])
    expect(await runner.runDue()).toEqual([])
    await expect(runner.runNow('fold_daily_usage')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(asked).toBe(3)
    runner.close()
    await db.close()
  })
})
