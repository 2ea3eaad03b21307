import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import pg from 'pg'
import { migrate } from '../src/main/db/migrate'
import { assignTenant, createOperator } from '../src/main/db/operators'
import { fillScreensData } from '../test/executions/screens-data'
import { startEmbeddedServer, type EmbeddedServer } from '../test/helpers/embedded-pg'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

/**
 * Offline review, end to end: a console started against a PostgreSQL this test controls syncs its
 * cache (progress bar), keeps showing executions and audit rows from the cache when the server is
 * stopped (offline status, writes disabled with the reason), opens the tenants area with the synced
 * tenants' names (issue 15), and comes back online by itself when the server is started again.
 */
const DATABASE = 'avia_offline_e2e'
const PER_TENANT = 3000

async function prepareDatabase(server: EmbeddedServer): Promise<{ url: string }> {
  const admin = { host: server.host, port: server.port, user: server.adminUser, password: server.adminPassword, sslMode: 'disable' as const }
  const bootstrap = new pg.Client({ ...admin, database: 'postgres', ssl: false })
  await bootstrap.connect()
  await bootstrap.query(`create database ${DATABASE}`)
  await bootstrap.end()
  await migrate({ ...admin, database: DATABASE })
  const client = new pg.Client({ ...admin, database: DATABASE, ssl: false })
  await client.connect()
  try {
    const { rows } = await client.query<{ id: string }>(`insert into tenants (slug, name) values ('acme-e2e', 'Acme Offline'), ('globex-e2e', 'Globex Offline') returning id::text`)
    const tenants = rows.map((r) => r.id)
    await fillScreensData(client, tenants, PER_TENANT)
    const operator = `avia_offline_${randomBytes(3).toString('hex')}`
    const password = randomBytes(18).toString('base64url')
    await createOperator(client, { name: operator, groups: ['support'], password })
    for (const tenant of tenants) await assignTenant(client, operator, tenant)
    return { url: `postgresql://${operator}:${password}@${server.host}:${server.port}/${DATABASE}?sslmode=disable` }
  } finally {
    await client.end()
  }
}

const status = (page: Page) => page.getByTestId('connection-status')
/** The screen's own source badge (the detail panel has one too). */
const source = (page: Page) => page.locator('.page-header').getByTestId('data-source')
const grid = (page: Page, name: RegExp) => page.getByRole('grid', { name })
const firstRow = (page: Page, name: RegExp) => grid(page, name).getByRole('row').nth(1)

test('offline review: sync, lose the database, keep working from the cache, reconnect by itself', async ({ page }) => {
  // The tenants step (issue 15) adds a few screens and an axe run to an already long walk.
  test.setTimeout(480_000)
  const server = await startEmbeddedServer()
  let consoleServer: ConsoleServer | null = null
  try {
    const { url } = await prepareDatabase(server)
    consoleServer = await startConsoleServer({ env: { DATABASE_URL: url, CONSOLE_RECONNECT_MAX_MS: '3000' }, logName: 'e2e-offline-console.log' })
    await page.goto(consoleServer.url)
    await page.goto(`${consoleServer.origin}/#/executions`)
    await expect(status(page)).toHaveAttribute('data-state', 'online', { timeout: 60_000 })

    await test.step('sync now shows a progress bar, then the cache is filled', async () => {
      await page.getByTestId('sync-now').click()
      await expect(page.locator('.progress[data-kind="sync"]').first()).toBeVisible()
      // The count is formatted ("30,002" when the click joins the start-up sync, a few rows after it).
      await expect(page.getByRole('status').filter({ hasText: /Offline cache synced: \d{1,3}(,\d{3})* rows?/ })).toBeVisible({ timeout: 120_000 })
    })

    await test.step('online, executions come from the live database', async () => {
      await expect(source(page)).toHaveAttribute('data-source', 'server')
      await expect(firstRow(page, /Workflow executions/)).toContainText(/Flow \d/)
      await expect(page.getByTestId('sync-now')).toBeEnabled()
    })

    await test.step('the database server stops: offline, last synced, rows from the cache, sync disabled with the reason', async () => {
      await server.pause()
      await expect(status(page)).toHaveAttribute('data-state', 'offline', { timeout: 60_000 })
      await expect(status(page)).toContainText(/Offline · last synced/)
      await expect(source(page)).toHaveAttribute('data-source', 'cache', { timeout: 30_000 })
      await expect(source(page)).toContainText('Offline cache')
      await expect(firstRow(page, /Workflow executions/)).toContainText(/Flow \d/)
      await expect(page.getByTestId('sync-now')).toBeDisabled()
      await expect(page.getByTestId('write-disabled-reason')).toContainText('Syncing needs the database')

      // Searching error messages works offline (FTS5 in the cache).
      await page.getByLabel('Search error messages').fill('stripe')
      await expect(firstRow(page, /Workflow executions/)).toContainText('timeout calling stripe')
      await firstRow(page, /Workflow executions/).click()
      const detail = page.getByTestId('execution-detail')
      await expect(detail.getByTestId('steps-timeline').getByRole('listitem')).toHaveCount(3)
      await expect(detail.getByTestId('data-source')).toHaveAttribute('data-source', 'cache')
      await expectNoSeriousAxeViolations(page, 'executions screen offline')
    })

    await test.step('the audit log works offline too', async () => {
      await page.getByRole('link', { name: 'Audit log' }).click()
      await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible()
      await expect(source(page)).toHaveAttribute('data-source', 'cache', { timeout: 30_000 })
      await expect(firstRow(page, /Audit entries/)).toContainText(/tenants|workflows|tenant_credentials/)
      await page.getByLabel('Full-text search').fill('zirconium')
      // Every 50th row carries the rare word in its new values unless it has none (g % 3 = 2): 40 per tenant.
      await expect(page.getByTestId('audit-count')).toHaveText('80 rows', { timeout: 15_000 })
      await firstRow(page, /Audit entries/).click()
      await expect(page.getByTestId('audit-diff')).toContainText('zirconium')
      await expect(page.getByTestId('sync-now')).toBeDisabled()
    })

    await test.step('the filtered audit log exports offline: written from the cache, then downloaded', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()])
      expect(download.suggestedFilename()).toMatch(/^audit-log-\d{8}-\d{6}\.csv$/)
      const lines = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').trimEnd().split('\r\n')
      expect(lines[0]).toBe('created_at,tenant_id,actor,action,resource_type,resource_id,old_values,new_values,id')
      expect(lines).toHaveLength(81)
      expect(lines.slice(1).every((line) => line.includes('zirconium'))).toBe(true)
      await expect(page.getByRole('status').filter({ hasText: 'Exported 80 rows' })).toBeVisible()
    })

    await test.step('the tenants area opens offline with the synced names; executions and audit rows name their tenants', async () => {
      await page.getByRole('link', { name: 'Tenants', exact: true }).click()
      await expect(page.getByTestId('tenants-offline')).toContainText('need the database and are unavailable')
      const names = grid(page, /Tenants/)
      await expect(names).toContainText('Acme Offline')
      await expect(names).toContainText('Globex Offline')
      await names.getByRole('link', { name: 'Acme Offline' }).click()
      const cached = page.getByTestId('cached-tenant')
      await expect(cached.getByRole('heading', { level: 1, name: 'Acme Offline' })).toBeVisible()
      await expect(cached).toContainText('need the database')
      await expectNoSeriousAxeViolations(page, 'tenant offline')
      await page.getByRole('link', { name: 'Executions', exact: true }).click()
      await expect(firstRow(page, /Workflow executions/)).toContainText(/(Acme|Globex) Offline/)
      await page.getByRole('link', { name: 'Audit log' }).click()
      await expect(firstRow(page, /Audit entries/)).toContainText(/(Acme|Globex) Offline/)
    })

    await test.step('the server starts again: online by itself, data from the database again', async () => {
      await server.resume()
      await expect(status(page)).toHaveAttribute('data-state', 'online', { timeout: 90_000 })
      await expect(source(page)).toHaveAttribute('data-source', 'server', { timeout: 30_000 })
      await expect(page.getByTestId('sync-now')).toBeEnabled()
    })
  } finally {
    await consoleServer?.stop()
    await server.stop()
  }
})
