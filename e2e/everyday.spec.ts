import { expect as baseExpect, test, type Page } from '@playwright/test'
import { startConsoleServer, type ConsoleServer } from './support/console-server'
import { callProcedure, openConsolePage, seededDatabase } from './support/seeded-database'

/*
 * Issue 15 §9, the smaller things a new user hit, in Chromium against a console signed in as the
 * demo admin on a freshly seeded database of this spec's own.
 */
/** A tenant's detail gathers a lot (gauges, credentials, failures): on a loaded machine it takes longer than the default 15 s. */
const expect = baseExpect.configure({ timeout: 60_000 })

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
  test.setTimeout(600_000)
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

test('everyday: keyboard into and out of a tenant, domains, names, layout', async ({ browser }) => {
  test.setTimeout(600_000)
  const { context, page } = await openConsolePage(browser, server)
  const main = page.getByRole('main')
  const farmacia = await tenantId(page, FARMACIA)

  await test.step('Enter on a row lands the keyboard in the detail; Esc goes back to the directory', async () => {
    await page.goto(`${server.origin}/#/tenants`)
    await main.getByRole('searchbox', { name: 'Search tenants' }).fill('farmacia santa')
    const grid = main.getByRole('grid', { name: 'Tenants' })
    await expect(grid.getByRole('row')).toHaveCount(2)
    await grid.focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect(page).toHaveURL(new RegExp(`#/tenants/${farmacia}`))
    await expect(main.getByRole('tab', { name: 'Overview' })).toBeFocused()
    await page.keyboard.press('Escape')
    await expect(page).toHaveURL(/#\/tenants$/)
    await expect(main.getByRole('grid', { name: 'Tenants' })).toBeVisible()
  })

  await test.step('the gauges\' labels sit above their figures, and no directory header is cut at its start', async () => {
    await page.goto(`${server.origin}/#/tenants/${farmacia}/overview`)
    const gauge = main.locator('.tenant-gauge').first()
    await expect(gauge).toBeVisible()
    const label = await gauge.locator('figcaption strong').boundingBox()
    const value = await gauge.locator('.tenant-gauge__value').boundingBox()
    expect(label!.y + label!.height).toBeLessThanOrEqual(value!.y + 1)

    await page.goto(`${server.origin}/#/tenants`)
    const grid = main.getByRole('grid', { name: 'Tenants' })
    await expect(grid.getByRole('row').nth(1)).toBeVisible()
    const clipped = await grid.locator('.vtable__header-text').evaluateAll((spans) =>
      spans.filter((span) => span.scrollWidth > span.clientWidth && getComputedStyle(span).textOverflow !== 'ellipsis').map((span) => span.textContent)
    )
    expect(clipped).toEqual([])
    await expect(grid.getByRole('columnheader', { name: 'Credentials expiring' })).toBeVisible()
    const header = grid.getByRole('columnheader', { name: 'Credentials expiring' }).locator('.vtable__header-text')
    expect(await header.evaluate((span) => span.scrollWidth <= span.clientWidth)).toBe(true)
    expect(await grid.locator('.tenant-muted').first().evaluate((line) => getComputedStyle(line).textOverflow)).toBe('ellipsis')
  })

  await test.step('an internationalized domain is accepted, stored as punycode and shown in Unicode; its duplicate is said once', async () => {
    await page.goto(`${server.origin}/#/tenants/${farmacia}/domains`)
    const field = main.getByRole('textbox', { name: 'New domain' })
    await field.fill('ñandú.es')
    await main.getByRole('button', { name: 'Add domain' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Domain ñandú.es added' })).toBeVisible()
    await expect(main.getByText('ñandú.es', { exact: true })).toBeVisible()
    const stored = await db.query((c) => c.query<{ domain: string }>(`select domain from tenant_domains where tenant_id = $1 and domain like 'xn--%'`, [farmacia]))
    expect(stored.rows.map((r) => r.domain)).toEqual(['xn--and-6ma2c.es'])

    await field.fill('Ñandú.es')
    await main.getByRole('button', { name: 'Add domain' }).click()
    await expect(field).toHaveAccessibleDescription('This domain is already registered, to this tenant or another one.')
    await expect(page.getByText('It was changed by someone else or already exists')).toHaveCount(0)
  })

  await test.step('a name with a right-to-left override is refused, at the field and by the server', async () => {
    await page.goto(`${server.origin}/#/tenants/${farmacia}/profile`)
    const name = main.getByRole('textbox', { name: 'Name' })
    await name.fill(`Farmacia \u202eaicamraF`)
    await main.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(name).toHaveAccessibleDescription(/direction-changing characters/)
    const reply = await callProcedure(page, server, 'tenants.updateProfile', { tenantId: farmacia, profile: { name: `Farmacia \u202eaicamraF`, contactEmail: null, websiteUrl: null, businessIndustry: null } })
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })

  await test.step('the profile names who last changed it as the audit does, not the role that loaded the demo ("postgres")', async () => {
    const { rows } = await db.query((c) =>
      c.query<{ tenant_id: string; actor: string }>(
        `select distinct on (tenant_id) tenant_id, actor from audit_logs where resource_type = 'tenants' and resource_id = tenant_id order by tenant_id, created_at desc, seq desc limit 1`
      )
    )
    expect(rows[0], 'the demo audits changes of tenants').toBeTruthy()
    await page.goto(`${server.origin}/#/tenants/${rows[0]!.tenant_id}/profile`)
    await expect(main.getByText(`Last changed by ${rows[0]!.actor},`)).toBeVisible()
    await expect(main.getByText(/Last changed by postgres/)).toHaveCount(0)
  })

  await context.close()
})
