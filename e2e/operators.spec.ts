import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

/*
 * Issue 8's "every group in the demo", in Chromium: a console of its own on a fresh embedded demo
 * (so switching operators never changes who the other specs are signed in as), signed in as each
 * of the four demo operators in turn through the operator switch in Settings.
 */
let server: ConsoleServer

test.beforeAll(async () => {
  test.setTimeout(300_000)
  server = await startConsoleServer({ logName: 'e2e-operators-console.log' })
})
test.afterAll(async () => {
  await server?.stop()
})

const EVERY_AREA = ['Overview', 'Executions', 'Audit log', 'Usage', 'Tenants', 'Marketplace', 'Consent', 'Credentials', 'Operators', 'Maintenance', 'Settings']
const SUPPORT_AREAS = ['Overview', 'Executions', 'Audit log', 'Usage', 'Tenants', 'Consent', 'Credentials', 'Settings']
const FINANCE_AREAS = ['Overview', 'Usage', 'Tenants', 'Settings']
const MODERATOR_AREAS = ['Overview', 'Tenants', 'Marketplace', 'Settings']

async function navigationOffers(page: Page): Promise<string[]> {
  // The area names only: a link also carries its inbox badge.
  return page.getByRole('navigation', { name: 'Console areas' }).locator('.sidebar__label').allInnerTexts()
}

async function signInAs(page: Page, group: string, operator: RegExp): Promise<void> {
  await page.goto(`${server.origin}/#/settings/connections`)
  const operators = page.getByRole('table', { name: 'Demo operators' })
  await operators.getByRole('button', { name: `Sign in as ${group}` }).click()
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 60_000 })
  await expect(operators.getByRole('row').filter({ hasText: operator })).toContainText('Signed in')
}

/** Signs in as the group's operator, checks the areas its navigation offers and opens the tenant list. */
async function tenantsAs(page: Page, group: string, operator: RegExp, areas: string[]) {
  await signInAs(page, group, operator)
  expect(await navigationOffers(page)).toEqual(areas)
  await page.goto(`${server.origin}/#/tenants`)
  const main = page.getByRole('main')
  return { main, tenants: main.getByRole('grid', { name: 'Tenants' }) }
}

test('each demo operator sees its own console: navigation, tenant list and disabled controls', async ({ page }) => {
  await page.goto(server.url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 240_000 })

  await test.step('the demo admin starts; Settings shows the operator switch, and it passes axe', async () => {
    expect(await navigationOffers(page)).toEqual(EVERY_AREA)
    await page.goto(`${server.origin}/#/settings/connections`)
    const operators = page.getByRole('table', { name: 'Demo operators' })
    await expect(operators.getByRole('row')).toHaveCount(5)
    await expect(operators.getByRole('row').filter({ hasText: 'avia_javier_admin' })).toContainText('Signed in')
    await expectNoSeriousAxeViolations(page, 'Settings → Connections with the demo operator switch')
  })

  await test.step('support: every area; its assigned tenants; limits disabled with the reason', async () => {
    const { main, tenants: directory } = await tenantsAs(page, 'Support', /avia_lucia_support/, SUPPORT_AREAS)
    await expect(main.getByRole('button', { name: 'Request access' })).toBeVisible()
    await directory.getByRole('link').first().click()
    await main.getByRole('tab', { name: 'Limits' }).click()
    const save = main.getByRole('button', { name: 'Save limits' })
    await expect(save).toBeDisabled()
    const reason = main.getByText('Only administrators may do this.')
    await expect(reason).toBeVisible()
    expect(await save.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'))
  })

  await test.step('finance: no executions or audit log; tenant names with plan and status, nothing to open', async () => {
    const { main, tenants: list } = await tenantsAs(page, 'Finance', /avia_olivia_finance/, FINANCE_AREAS)
    await expect(main.getByText(/\d+ tenants/)).toBeVisible()
    await expect(list.getByRole('row').nth(1)).toContainText(/starter|professional|business|enterprise|growth/i)
    await expect(list.getByRole('link')).toHaveCount(0)
    await expect(main.getByRole('button', { name: 'Request access' })).toHaveCount(0)
    await expect(main.getByText('Your role is not allowed to do this.')).toHaveCount(0)
    await page.goto(`${server.origin}/#/executions`)
    await expect(main.getByText('There is no area at this address.')).toBeVisible()
  })

  await test.step('moderator: names only, the plan is not shown to its group', async () => {
    const { tenants: list } = await tenantsAs(page, 'Moderator', /avia_carmen_moderator/, MODERATOR_AREAS)
    await expect(list.getByRole('row').nth(1)).toContainText('Not shown to your group')
  })

  await test.step('admin again: every area, and the limits can be changed', async () => {
    const { main, tenants } = await tenantsAs(page, 'Administrator', /avia_javier_admin/, EVERY_AREA)
    await tenants.getByRole('link').first().click()
    await main.getByRole('tab', { name: 'Limits' }).click()
    await expect(main.getByText('Only administrators may do this.')).toHaveCount(0)
    await expect(main.getByRole('textbox', { name: 'Agent calls per day' })).toBeEnabled()
  })
})
