import { randomBytes } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import pg from 'pg'
import { migrate } from '../src/main/db/migrate'
import { seedDatabase } from '../src/main/demo/seed'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

/*
 * Issue 14's Maintenance screen, in Chromium against a real console signed in as the demo's
 * all-tenants admin (javier_admin) on a freshly seeded database: each job's last run, duration,
 * rows and next run; "run now"; another console's run in progress; partition coverage with its
 * warning; the schedule form; English and Spanish; axe in both themes.
 */
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' }
const prefix = `e2em${randomBytes(3).toString('hex')}`
const database = `${prefix}_maint`
const ADMIN = `${prefix}_javier_admin`
const SUPPORT = `${prefix}_lucia_support`

let server: ConsoleServer

async function on<T>(db: string, fn: (client: pg.Client) => Promise<T>, user = PG.user): Promise<T> {
  const client = new pg.Client({ ...PG, user, database: db })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

test.beforeAll(async () => {
  test.setTimeout(300_000)
  await on('postgres', (c) => c.query(`create database ${database}`))
  const config = { ...PG, database, sslMode: 'disable' as const }
  await migrate(config, { rolePrefix: prefix })
  await seedDatabase(config, { scale: 'demo', operatorPassword: randomBytes(12).toString('hex') })
  // The events partitions end before this month: the screen must warn.
  await on(database, async (c) => {
    const { rows } = await c.query<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'public.events'::regclass and c.relname ~ '^events_y'
          and to_date(substr(c.relname, 9, 4) || substr(c.relname, 14, 2), 'YYYYMM') >= date_trunc('month', now() at time zone 'UTC')`
    )
    for (const { name } of rows) await c.query(`drop table public.${name}`)
  })
  server = await startConsoleServer({ env: { DATABASE_URL: `postgres://${ADMIN}@127.0.0.1:5432/${database}?sslmode=disable` }, logName: 'e2e-maintenance.log' })
})

test.afterAll(async () => {
  await server?.stop()
  await on('postgres', async (c) => {
    await c.query(`drop database if exists ${database} with (force)`)
    const roles = await c.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1`, [`${prefix}\\_%`])
    for (const { rolname } of roles.rows) await c.query(`drop role if exists "${rolname}"`)
  })
})

async function call(page: Page, name: string, input: unknown) {
  const response = await page.request.post(`${server.origin}/rpc/${name}`, { data: input, headers: { authorization: `Bearer ${server.token}` } })
  return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string } }
}

test('admin: jobs, run now, another console’s run, partition coverage warning, schedule, both languages and themes', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(server.url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 120_000 })
  const main = page.getByRole('main')
  await page.getByRole('navigation').getByRole('link', { name: 'Maintenance' }).click()
  await expect(main.getByRole('heading', { level: 1, name: 'Maintenance' })).toBeVisible()
  const jobs = main.getByTestId('maintenance-jobs')
  const row = (job: string) => jobs.locator(`tr[data-job="${job}"]`)

  await test.step('four jobs, never run, schedule off; the coverage ended: a warning', async () => {
    await expect(jobs.locator('tbody tr')).toHaveCount(4)
    await expect(row('archive_executions').locator('[data-cell="last-run"]')).toHaveText('Never')
    await expect(row('fold_daily_usage').locator('[data-cell="next-run"]')).toHaveText('Schedule off')
    await expect(main.getByTestId('coverage-warning')).toContainText('Run “Event partitions”')
  })

  await test.step('run now: event partitions; the coverage warning goes, the run shows its rows and who ran it', async () => {
    await row('event_partitions').getByRole('button', { name: 'Run Event partitions now' }).click()
    await expect(row('event_partitions').locator('[data-cell="rows"]')).toHaveText('4')
    await expect(row('event_partitions').locator('[data-cell="last-run"]')).toContainText(`by ${ADMIN}`)
    await expect(row('event_partitions').locator('[data-cell="duration"]')).not.toHaveText('—')
    await expect(main.getByTestId('coverage-warning')).toHaveCount(0)
    expect(Number(await main.getByTestId('coverage-days').textContent())).toBeGreaterThanOrEqual(59)
  })

  await test.step('run now: archival moves the seed’s old executions', async () => {
    const old = await on(database, (c) => c.query<{ n: number }>(`select count(*)::int as n from executions where finished_at < now() - interval '90 days'`))
    await row('archive_executions').getByRole('button', { name: 'Run Archive old executions now' }).click()
    await expect(row('archive_executions').locator('[data-cell="rows"]')).toHaveText(new Intl.NumberFormat('en-US').format(old.rows[0]!.n))
    const left = await on(database, (c) => c.query<{ n: number }>(`select count(*)::int as n from executions where finished_at < now() - interval '90 days'`))
    expect(left.rows[0]!.n).toBe(0)
  })

  await test.step('another console’s run shows its progress, and this console cannot start the job meanwhile', async () => {
    const run = await on(
      database,
      async (c) => {
        const claimed = await c.query<{ run: string }>(`select app.claim_maintenance_job('verify_audit_chains', 60, true)::text as run`)
        await c.query(`select app.report_maintenance_progress('verify_audit_chains', $1, 3, 10, 60)`, [claimed.rows[0]!.run])
        return claimed.rows[0]!.run
      },
      ADMIN
    )
    const bar = row('verify_audit_chains').getByRole('progressbar')
    await expect(bar).toHaveAttribute('aria-valuenow', '30', { timeout: 20_000 })
    await expect(row('verify_audit_chains')).toContainText(`Running for ${ADMIN}`)
    expect(await call(page, 'maintenance.runNow', { job: 'verify_audit_chains' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await on(database, (c) => c.query(`select app.finish_maintenance_job('verify_audit_chains', $1, 10, null)`, [run]), ADMIN)
    await expect(row('verify_audit_chains').locator('[data-cell="rows"]')).toHaveText('10', { timeout: 20_000 })
  })

  await test.step('the schedule: a bad interval is refused in the form, a good one is saved and sets the next runs', async () => {
    const schedule = main.getByRole('form', { name: 'Schedule' })
    await schedule.getByRole('checkbox', { name: /Run the jobs on their schedule/ }).check()
    const fold = schedule.getByRole('textbox', { name: 'Usage rollup fold: every (minutes)' })
    await fold.fill('0')
    await schedule.getByRole('button', { name: 'Save schedule' }).click()
    await expect(schedule.getByText('Enter a whole number from 1 to 44,640.')).toBeVisible()
    await fold.fill('10')
    await schedule.getByRole('button', { name: 'Save schedule' }).click()
    await expect(page.getByText('Schedule saved')).toBeVisible()
    await expect(row('fold_daily_usage').locator('[data-cell="next-run"]')).not.toHaveText('Schedule off')
    const stored = await on(database, (c) => c.query<{ every: string }>(`select every::text from maintenance_jobs where job = 'fold_daily_usage'`))
    expect(stored.rows).toEqual([{ every: '00:10:00' }])
  })

  await test.step('Spanish, and axe in both themes', async () => {
    expect((await call(page, 'settings.update', { language: 'es' })).ok).toBe(true)
    await page.reload()
    await expect(main.getByRole('heading', { level: 1, name: 'Mantenimiento' })).toBeVisible()
    await expect(row('event_partitions').getByRole('button', { name: 'Ejecutar Particiones de eventos ahora' })).toBeVisible()
    await expectNoSeriousAxeViolations(page, 'maintenance, Spanish')
    expect((await call(page, 'settings.update', { language: 'en' })).ok).toBe(true)
    for (const theme of ['light', 'dark'] as const) {
      expect((await call(page, 'settings.update', { theme })).ok).toBe(true)
      await page.reload()
      await expect(jobs.locator('tbody tr')).toHaveCount(4)
      await expectNoSeriousAxeViolations(page, `maintenance, ${theme}`)
    }
    await call(page, 'settings.update', { theme: 'system' })
  })

  await context.close()
})

test('the sync bar shows a transaction that holds the watermark back within 5 seconds, with its role and process, and clears', async ({ browser }) => {
  // Up to 10 minutes for older transactions elsewhere on the server to end (see below).
  test.setTimeout(720_000)
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(server.url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 120_000 })
  const hold = page.getByTestId('watermark-hold')
  const shown = async () => (await hold.allTextContents()).join(' ')

  // Another operator's session leaves a transaction open after writing (it has an xid), in this
  // spec's own database. The watermark is cluster-wide, though: while a transaction older than
  // this one runs anywhere on the server (another test, a load), that one holds the sync back, and
  // this one starts to hold it only when it is the oldest. The 5 seconds count from then.
  const holder = new pg.Client({ ...PG, user: SUPPORT, database })
  const observer = new pg.Client({ ...PG, database })
  await holder.connect()
  await observer.connect()
  try {
    await holder.query('begin')
    const { rows } = await holder.query<{ xid: string; pid: number }>('select pg_current_xact_id()::text as xid, pg_backend_pid() as pid')
    const { xid, pid } = rows[0]!
    await expect
      .poll(async () => (await observer.query<{ ours: boolean }>('select pg_snapshot_xmin(pg_current_snapshot())::text = $1 as ours', [xid])).rows[0]!.ours, {
        timeout: 600_000,
        intervals: [100]
      })
      .toBe(true)
    await expect(hold).toContainText(`Held by role ${SUPPORT}, server process ${pid}.`, { timeout: 5_000 })
    await expect(hold).toContainText('The offline sync is held back')
    await expectNoSeriousAxeViolations(page, 'sync bar with a held watermark')
    await holder.query('rollback')
    // Gone once it ends (another, newer transaction elsewhere may be the next to hold it).
    await expect.poll(shown, { timeout: 5_000 }).not.toContain(`server process ${pid}.`)
  } finally {
    await holder.query('rollback').catch(() => undefined)
    await holder.end()
    await observer.end()
  }
  await context.close()
})
