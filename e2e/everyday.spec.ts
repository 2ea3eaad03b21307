import { expect, test, type Page } from '@playwright/test'
import { startConsoleServer, type ConsoleServer } from './support/console-server'
import { callProcedure, openConsolePage, seededDatabase } from './support/seeded-database'

/*
 * Issue 15 §9, the smaller things a new user hit, in Chromium against a console signed in as the
 * demo admin on a freshly seeded database of this spec's own.
 */
const db = seededDatabase('d', 'everyday')
const ADMIN = `${db.prefix}_javier_admin`
const FARMACIA = 'Farmacia Santa Lucía'

let server: ConsoleServer

test.beforeAll(async () => {
  test.setTimeout(300_000)
  await db.create()
  server = await startConsoleServer({ env: { DATABASE_URL: db.url(ADMIN) }, logName: 'e2e-everyday-admin.log' })
})

test.afterAll(async () => {
  await server?.stop()
  await db.drop()
})

async function tenantId(page: Page, name: string): Promise<string> {
  const reply = await callProcedure(page, server, 'tenants.list', { search: name, limit: 5 })
  const row = (reply.value.rows as { id: string; name: string }[]).find((r) => r.name === name)
  expect(row, name).toBeTruthy()
  return row!.id
}

test('everyday: palette, long searches, export icons', async ({ browser }) => {
  test.setTimeout(300_000)
  const { context, page } = await openConsolePage(browser, server)
  const main = page.getByRole('main')
  const farmacia = await tenantId(page, FARMACIA)

  await test.step('palette: "farm" and Enter at once open Farmacia Santa Lucía, not the Tenants area', async () => {
    await page.goto(`${server.origin}/#/overview`)
    await page.keyboard.press('Control+K')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    const input = palette.getByRole('combobox')
    await expect(input).toBeFocused()
    // Typed and sent at once: Enter comes before the tenant search has answered.
    await input.pressSequentially('farm')
    await input.press('Enter')
    await expect(page).toHaveURL(new RegExp(`#/tenants/${farmacia}$`))
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(FARMACIA)
  })

  const long = 'a'.repeat(250)
  await test.step('over 200 characters every search box says the limit and keeps its results', async () => {
    await page.goto(`${server.origin}/#/tenants`)
    const search = main.getByRole('searchbox', { name: 'Search tenants' })
    const grid = main.getByRole('grid', { name: 'Tenants' })
    await search.fill('farmacia santa')
    await expect(grid.getByRole('row')).toHaveCount(2)
    await search.fill(long)
    await expect(search).toHaveAccessibleDescription(/A search is at most 200 characters/)
    await expect(search).toHaveAttribute('aria-invalid', 'true')
    // Still the results of the last search that fitted, not every tenant.
    await page.waitForTimeout(600)
    await expect(grid.getByRole('row')).toHaveCount(2)
    await expect(grid).toContainText(FARMACIA)
    await expect(page.getByRole('alert').filter({ hasText: 'Invalid input' })).toHaveCount(0)

    await page.goto(`${server.origin}/#/settings/sync`)
    const pin = main.getByRole('searchbox', { name: /Find a tenant/ })
    await pin.fill(long)
    await expect(pin).toHaveAccessibleDescription(/A search is at most 200 characters/)
    await page.waitForTimeout(600)
    await expect(page.getByText('Invalid input')).toHaveCount(0)

    for (const [hash, name] of [
      ['#/audit', 'Full-text search'],
      ['#/executions', 'Search error messages'],
      ['#/credentials', 'Search credentials']
    ] as const) {
      await page.goto(`${server.origin}/${hash}`)
      const box = main.getByRole('searchbox', { name })
      await box.fill(long)
      await expect(box, hash).toHaveAccessibleDescription(/A search is at most 200 characters/)
    }

    await page.keyboard.press('Control+K')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    await palette.getByRole('combobox').fill(long)
    await expect(palette.getByText('A search is at most 200 characters')).toBeVisible()
    await expect(palette.getByText('Invalid input')).toHaveCount(0)
    await page.keyboard.press('Escape')
  })

  await test.step('every export button carries the download icon', async () => {
    for (const [hash, testId] of [
      ['#/tenants', 'directory-export'],
      ['#/audit', 'audit-export'],
      ['#/credentials', 'credentials-export'],
      [`#/consent/people/${farmacia}`, 'consent-export']
    ] as const) {
      await page.goto(`${server.origin}/${hash}`)
      await expect(page.getByTestId(testId).locator('svg'), testId).toHaveAttribute('data-icon', 'download')
    }
  })

  await context.close()
})
