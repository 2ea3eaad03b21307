import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import pg from 'pg'
import { migrate } from '../src/main/db/migrate'
import { seedDatabase } from '../src/main/demo/seed'
import { toMicros } from '../src/shared/decimal'
import { parseCsv } from '../test/helpers/csv'
import { startEmbeddedServer, type EmbeddedServer } from '../test/helpers/embedded-pg'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

/**
 * Issue 10's "Done when", end to end as the demo finance operator (avia_olivia_finance), on a
 * PostgreSQL this test controls (loaded with the demo data set) so it can stop it: last billing
 * cycle with chart and top tenants, an invoice preview checked against SQL of our own, CSV parsed
 * back, a planted anomaly, the same numbers offline with their time, what finance is not offered
 * (and the database's own refusal), axe in both themes.
 */
const DATABASE = 'avia_usage_e2e'
const FINANCE = 'avia_olivia_finance'

interface Prepared {
  url: string
  admin: pg.ClientConfig
  finance: pg.ClientConfig
}

async function prepareDatabase(server: EmbeddedServer): Promise<Prepared> {
  const admin = { host: server.host, port: server.port, user: server.adminUser, password: server.adminPassword, sslMode: 'disable' as const }
  const bootstrap = new pg.Client({ ...admin, database: 'postgres', ssl: false })
  await bootstrap.connect()
  await bootstrap.query(`create database ${DATABASE}`)
  await bootstrap.end()
  await migrate({ ...admin, database: DATABASE })
  const password = randomBytes(18).toString('base64url')
  await seedDatabase({ ...admin, database: DATABASE }, { scale: 'demo', operatorPassword: password })
  const base = { host: server.host, port: server.port, database: DATABASE, ssl: false }
  return {
    url: `postgresql://${FINANCE}:${password}@${server.host}:${server.port}/${DATABASE}?sslmode=disable`,
    admin: { ...base, user: server.adminUser, password: server.adminPassword },
    finance: { ...base, user: FINANCE, password }
  }
}

async function sql<R extends pg.QueryResultRow>(config: pg.ClientConfig, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client(config)
  await client.connect()
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end()
  }
}

async function call(page: Page, server: ConsoleServer, name: string, input: unknown) {
  const response = await page.request.post(`${server.origin}/rpc/${name}`, { data: input, headers: { authorization: `Bearer ${server.token}` } })
  return (await response.json()) as { ok: boolean; value?: any; error?: { code: string } }
}

const status = (page: Page) => page.getByTestId('connection-status')

/** The totals table as [type, currency, amount] rows, read from the page. */
async function totalsShown(page: Page): Promise<string[][]> {
  const rows = page.getByTestId('usage-total-row')
  await expect(rows.first()).toBeVisible({ timeout: 30_000 })
  const count = await rows.count()
  const result: string[][] = []
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i)
    result.push([(await row.getAttribute('data-type'))!, (await row.getAttribute('data-currency'))!, (await row.getAttribute('data-amount'))!, await row.innerText()])
  }
  return result
}

async function chooseLastCycle(page: Page) {
  const main = page.getByRole('main')
  await main.getByRole('combobox', { name: 'Period' }).selectOption('lastCycle')
  await expect(main.getByTestId('usage-trend')).toBeVisible({ timeout: 30_000 })
}

test('usage as finance: last cycle, invoice preview, CSV, anomaly, offline with the same numbers, refusals, axe', async ({ page }) => {
  test.setTimeout(480_000)
  const server = await startEmbeddedServer()
  let consoleServer: ConsoleServer | null = null
  try {
    const db = await prepareDatabase(server)
    consoleServer = await startConsoleServer({ env: { DATABASE_URL: db.url, CONSOLE_RECONNECT_MAX_MS: '3000' }, logName: 'e2e-usage-console.log' })
    const origin = consoleServer.origin
    await page.goto(consoleServer.url)
    await expect(status(page)).toHaveAttribute('data-state', 'online', { timeout: 60_000 })
    const main = page.getByRole('main')

    let lastCycleTotals: string[][] = []
    await test.step('open Usage, choose the last billing cycle: totals per currency, the chart and top tenants', async () => {
      await page.getByRole('navigation', { name: 'Console areas' }).getByRole('link', { name: 'Usage' }).click()
      await expect(main.getByRole('heading', { level: 1, name: 'Usage' })).toBeVisible()
      await chooseLastCycle(page)
      await expect(main.getByTestId('usage-complete-up-to')).toContainText('Complete up to')
      await expect(main.getByTestId('data-source').first()).toHaveAttribute('data-source', 'server')
      await expect(main.getByTestId('usage-top-row').first()).toBeVisible()
      lastCycleTotals = await totalsShown(page)
      // One row per type and currency: never two currencies in one total.
      const keys = lastCycleTotals.map(([type, currency]) => `${type}|${currency}`)
      expect(new Set(keys).size).toBe(keys.length)
      expect(new Set(lastCycleTotals.map(([, currency]) => currency)).size).toBeGreaterThan(1)
    })

    await test.step('export the top tenants as CSV and parse it back', async () => {
      const shown = await main.getByTestId('usage-top-row').count()
      const [download] = await Promise.all([page.waitForEvent('download'), main.getByTestId('usage-export-top').click()])
      expect(download.suggestedFilename()).toMatch(/^usage-topTenants-.*\.csv$/)
      const rows = parseCsv((await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, ''))
      expect(rows[0]).toEqual(['tenant_id', 'tenant', 'plan', 'currency', 'quantity', 'amount', 'share_percent', 'previous_amount', 'change_percent'])
      const body = rows.slice(1).filter((r) => r.length > 1)
      expect(body).toHaveLength(shown)
      for (const row of body) expect(() => toMicros(row[5]!)).not.toThrow()
    })

    await test.step("open a tenant: its invoice preview equals the test's own SQL over the raw records and the price book", async () => {
      const first = main.getByTestId('usage-top-row').first()
      const tenantId = (await first.getAttribute('data-tenant'))!
      await first.getByRole('link').click()
      const invoice = main.getByTestId('usage-invoice-table')
      await expect(invoice).toBeVisible({ timeout: 30_000 })
      const answer = await call(page, consoleServer!, 'usage.tenant', { tenantId })
      expect(answer.ok).toBe(true)
      const { start, end } = answer.value.cycle as { start: string; end: string }
      const [expected] = await sql<{ total: string; currency: string }>(
        db.admin,
        `select p.currency::text as currency,
                (p.amount + coalesce((select sum(u.quantity * up.unit_price) from usage_records u
                   join price_book_unit_prices up on up.price_book_id = p.id and up.usage_type = u.usage_type
                  where u.tenant_id = s.tenant_id and u.recorded_at >= $2::date and u.recorded_at < $3::date), 0))::text as total
           from subscriptions s join price_book p on p.id = s.price_book_id
          where s.tenant_id = $1 order by s.current_period_start desc nulls last limit 1`,
        [tenantId, start, end]
      )
      expect(await invoice.getAttribute('data-currency')).toBe(expected!.currency)
      expect(toMicros((await invoice.getAttribute('data-total'))!)).toBe(toMicros(expected!.total))
      await expect(main.getByTestId('usage-projection')).toBeVisible()
    })

    let anomaly: { tenant_id: string; day: string }
    await test.step('find a planted anomaly in the list, with its tenant’s chart', async () => {
      const planted = await sql<{ tenant_id: string; day: string }>(
        db.admin,
        `select tenant_id::text, to_char((recorded_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day from usage_records
          where usage_type = 'ai_calls' and quantity >= 5000 order by recorded_at desc`
      )
      expect(planted.length).toBeGreaterThan(0)
      anomaly = planted[0]!
      await page.goto(`${origin}/#/usage/anomalies`)
      const row = main.locator(`[data-testid="usage-anomaly-row"][data-tenant="${anomaly.tenant_id}"][data-date="${anomaly.day}"]`)
      await expect(row).toBeVisible({ timeout: 30_000 })
      await row.getByRole('button', { name: 'Show this tenant' }).click()
      await expect(main.getByTestId('usage-anomaly-chart')).toBeVisible()
      await expect(main.getByTestId('usage-over-limit')).toBeVisible()
    })

    await test.step('axe: no serious or critical violation on every usage screen, in both themes', async () => {
      for (const theme of ['light', 'dark'] as const) {
        expect((await call(page, consoleServer!, 'settings.update', { theme })).ok).toBe(true)
        for (const [where, hash, ready] of [
          ['overview', '#/usage', 'usage-totals'],
          ['anomalies', '#/usage/anomalies', 'usage-anomalies'],
          ['reconciliation', '#/usage/reconciliation', 'usage-recon'],
          ['tenant', `#/usage/tenant/${anomaly.tenant_id}`, 'usage-invoice']
        ] as const) {
          await page.goto(`${origin}/${hash}`)
          await page.reload()
          await expect(main.getByTestId(ready)).toBeVisible({ timeout: 30_000 })
          await expectNoSeriousAxeViolations(page, `usage ${where}, ${theme}`)
        }
      }
      await call(page, consoleServer!, 'settings.update', { theme: 'system' })
    })

    await test.step('a custom period the schema refuses says why, in Spanish too (dark theme)', async () => {
      expect((await call(page, consoleServer!, 'settings.update', { language: 'es', theme: 'dark' })).ok).toBe(true)
      await page.goto(`${origin}/#/usage`)
      await page.reload()
      await expect(page.locator('html')).toHaveAttribute('lang', 'es')
      await expect(main.getByTestId('usage-totals')).toBeVisible({ timeout: 30_000 })
      await main.getByTestId('usage-period').selectOption('custom')
      await main.getByTestId('usage-from').fill('2024-03-02')
      await main.getByTestId('usage-to').fill('2024-03-01')
      await expect(main.getByText('El periodo debe empezar antes de terminar')).toBeVisible()
      await main.getByTestId('usage-from').fill('2020-01-01')
      await main.getByTestId('usage-to').fill('2024-01-01')
      await expect(main.getByText('Como máximo 3 años')).toBeVisible()
      await expect(main.getByTestId('usage-to')).toHaveAttribute('aria-invalid', 'true')
      expect((await call(page, consoleServer!, 'settings.update', { language: 'en', theme: 'system' })).ok).toBe(true)
      await page.reload()
      await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    })

    await test.step('conversations and credentials are not offered, and the database refuses them when called directly', async () => {
      // The areas' names only: a badge (the usage anomalies waiting for finance) is not part of the name.
      const areas = await page.getByRole('navigation', { name: 'Console areas' }).locator('.sidebar__label').allInnerTexts()
      expect(areas).toEqual(['Overview', 'Usage', 'Tenants', 'Settings'])
      const tenant = anomaly.tenant_id
      // The console refuses early (FORBIDDEN), and the database refuses the same reads itself.
      expect(await call(page, consoleServer!, 'tenants.get', { tenantId: tenant })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      for (const text of ['select * from conversations', 'select id from tenant_credentials', 'select * from user_consent']) {
        const client = new pg.Client(db.finance)
        await client.connect()
        try {
          await client.query('begin')
          await client.query(`select set_config('app.current_tenant_id', $1, true)`, [tenant])
          await expect(client.query(text)).rejects.toMatchObject({ code: '42501' })
        } finally {
          await client.end()
        }
      }
    })

    await test.step('with the server stopped, the same screens show the same numbers, marked offline with the time', async () => {
      expect((await call(page, consoleServer!, 'sync.now', {})).ok).toBe(true)
      await page.goto(`${origin}/#/usage`)
      await chooseLastCycle(page)
      const online = await totalsShown(page)
      expect(online).toEqual(lastCycleTotals)
      await server.pause()
      await expect(status(page)).toHaveAttribute('data-state', 'offline', { timeout: 60_000 })
      await page.reload()
      await chooseLastCycle(page)
      await expect(main.getByTestId('data-source').first()).toHaveAttribute('data-source', 'cache', { timeout: 30_000 })
      await expect(main.getByTestId('usage-offline')).toContainText(/Offline — figures as of .*\d/)
      expect(await totalsShown(page)).toEqual(online)
      await page.goto(`${origin}/#/usage/anomalies`)
      await expect(main.locator(`[data-testid="usage-anomaly-row"][data-tenant="${anomaly.tenant_id}"][data-date="${anomaly.day}"]`)).toBeVisible({ timeout: 30_000 })
      await expect(main.getByTestId('usage-offline')).toBeVisible()
    })
  } finally {
    await consoleServer?.stop()
    await server.stop()
  }
})
