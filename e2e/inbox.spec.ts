import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

/*
 * Issue 15, the home inbox and per-role navigation, as each of the four demo operators on a
 * console of its own (switching operators must not change who the other specs are signed in as):
 * the inbox shows that role's items, each opens where it is handled, and the navigation fits the role.
 */
let server: ConsoleServer

test.beforeAll(async () => {
  test.setTimeout(300_000)
  server = await startConsoleServer({ logName: 'e2e-inbox-console.log' })
})
test.afterAll(async () => {
  await server?.stop()
})

const EVERY_AREA = ['Overview', 'Executions', 'Audit log', 'Usage', 'Tenants', 'Marketplace', 'Consent', 'Credentials', 'Operators', 'Maintenance', 'Settings']
const SUPPORT_AREAS = ['Overview', 'Executions', 'Audit log', 'Usage', 'Tenants', 'Consent', 'Credentials', 'Settings']
const AREAS_OF = { Finance: ['Overview', 'Usage', 'Tenants', 'Settings'], Moderator: ['Overview', 'Tenants', 'Marketplace', 'Settings'] }

/** A procedure as the console's current operator (set-up only: what the test needs to exist). */
async function rpc<T>(page: Page, name: string, input: unknown): Promise<T> {
  const response = await page.request.post(`${server.origin}/rpc/${name}`, { data: input, headers: { authorization: `Bearer ${server.token}` } })
  const body = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } }
  expect(body.ok, `${name}: ${body.error?.code} ${body.error?.message}`).toBe(true)
  return body.value as T
}

/** An area's screen is a lazy chunk: on a loaded machine its first paint after a click can take longer than one assertion's default wait. */
const SCREEN_LOAD = 60_000

const nav = (page: Page) => page.getByRole('navigation', { name: 'Console areas' })
const inbox = (page: Page) => page.getByRole('region', { name: 'Needs you' })
const items = (page: Page) => inbox(page).getByTestId('inbox-item')

async function navigationOffers(page: Page): Promise<string[]> {
  return nav(page).locator('.sidebar__label').allInnerTexts()
}

async function signInAs(page: Page, group: string, operator: RegExp): Promise<void> {
  await page.goto(`${server.origin}/#/settings/connections`)
  const operators = page.getByRole('table', { name: 'Demo operators' })
  await operators.getByRole('button', { name: `Sign in as ${group}` }).click()
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 60_000 })
  await expect(operators.getByRole('row').filter({ hasText: operator })).toContainText('Signed in')
}

/** The home, as the operator's first screen: the inbox checked afresh (another operator, another inbox). */
async function home(page: Page): Promise<void> {
  await page.goto(`${server.origin}/`)
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible({ timeout: SCREEN_LOAD })
  await inbox(page).getByRole('button', { name: 'Check again' }).click()
  await expect(inbox(page).getByRole('button', { name: 'Check again' })).toBeEnabled()
  await expect(page.getByText('Your role is not allowed to do this.')).toHaveCount(0)
}

interface DirectoryRow {
  id: string
  name: string
  agentUsage: number
}

test('each demo operator: a home inbox with its own items, each opening where it is handled, and a navigation that fits the role', async ({ page }) => {
  // Four operators and eight items opened, each on a lazy screen: ten minutes on a loaded machine.
  test.setTimeout(600_000)
  await page.goto(server.url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 240_000 })

  await test.step('admin: credentials past their rotation date open the credentials due list, filtered to them', async () => {
    await home(page)
    const item = items(page).filter({ hasText: 'Credentials past their rotation date' })
    await expect(item).toHaveCount(1)
    await expect(item).toContainText(/Overdue by the rotation policy: \d/)
    await expect(nav(page).getByTestId('nav-badge-credentials')).toBeVisible()
    await item.click()
    await expect(page).toHaveURL(/#\/credentials\/due\/overdue$/)
    await expect(page.getByRole('combobox', { name: 'Due', exact: true })).toHaveValue('overdue', { timeout: SCREEN_LOAD })
    await expect(page.locator('.credential-due--overdue').first()).toBeVisible()
    await expect(page.locator('.credential-due--due')).toHaveCount(0)
  })

  await test.step('admin: data-subject requests past their deadline open that tenant\'s requests', async () => {
    await home(page)
    const item = items(page).filter({ hasText: 'data-subject requests past their deadline' }).first()
    await expect(item).toBeVisible()
    await expect(nav(page).getByTestId('nav-badge-consent')).toBeVisible()
    const href = await item.getAttribute('href')
    expect(href).toMatch(/^#\/consent\/requests\/[0-9a-f-]{36}$/)
    await item.click()
    await expect(page).toHaveURL(new RegExp(`${href!.replace(/[/]/g, '\\/')}$`))
    await expect(page.getByRole('tab', { name: 'Requests' })).toHaveAttribute('aria-selected', 'true', { timeout: SCREEN_LOAD })
    await expect(page.getByTestId('consent-requests')).toContainText('In progress')
  })

  // The tenant with the most agent calls yesterday; its allowance is lowered below them.
  let overLimit: DirectoryRow
  await test.step('admin: a tenant over its limit is in the inbox, counted in the navigation, and opens on its limits', async () => {
    const { rows } = await rpc<{ rows: DirectoryRow[] }>(page, 'tenants.list', { sort: 'usage', direction: 'desc', limit: 50 })
    overLimit = rows.filter((row) => row.agentUsage > 1).sort((a, b) => b.agentUsage - a.agentUsage)[0]!
    expect(overLimit, 'the demo has agent calls yesterday').toBeTruthy()
    await rpc(page, 'tenants.updateLimits', { tenantId: overLimit.id, limits: { agentUsageLimit: 1, requestsPerMinute: 100, requestsPerHour: 5000, storageLimitMb: 100000 } })

    await home(page)
    expect(await navigationOffers(page)).toEqual(EVERY_AREA)
    const item = items(page).filter({ hasText: `${overLimit.name} went over its daily agent calls` })
    await expect(item).toHaveCount(1)
    await expect(item).toContainText(`${new Intl.NumberFormat('en').format(overLimit.agentUsage)} of 1 agent calls`)
    // The badges count the inbox: the home all of it, the tenants area its own items.
    const total = await items(page).count()
    await expect(nav(page).getByTestId('nav-badge-overview')).toContainText(String(total))
    await expect(nav(page).getByTestId('nav-badge-tenants')).toBeVisible()
    await expectNoSeriousAxeViolations(page, 'the home inbox, light theme')
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'))
    await expectNoSeriousAxeViolations(page, 'the home inbox, dark theme')
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'))

    await item.click()
    await expect(page).toHaveURL(new RegExp(`#/tenants/${overLimit.id}/limits$`))
    await expect(page.getByRole('tab', { name: 'Limits' })).toHaveAttribute('aria-selected', 'true', { timeout: SCREEN_LOAD })
    await expect(page.getByRole('textbox', { name: 'Agent calls per day' })).toHaveValue('1')
  })

  await test.step('palette: a tenant\'s name, then Enter, opens that tenant (not the Tenants area its letters also match)', async () => {
    await page.keyboard.press('Control+K')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    const word = overLimit.name.slice(0, 4).toLowerCase()
    await palette.getByRole('combobox').fill(word)
    await expect(palette.getByRole('option', { name: new RegExp(overLimit.name) })).toBeVisible()
    await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true')
    await expect(palette.getByRole('option').first()).toContainText(overLimit.name.slice(0, 4))
    await palette.getByRole('combobox').press('Enter')
    await expect(page).toHaveURL(new RegExp(`#/tenants/[0-9a-f-]{36}$`))
    await expect(page.getByRole('heading', { level: 1 })).toContainText(overLimit.name.slice(0, 4))
    await page.goto(`${server.origin}/#/tenants/${overLimit.id}/limits`)
  })

  await test.step('the audit log\'s export button carries a download icon, not a "+"', async () => {
    await page.goto(`${server.origin}/#/audit`)
    await expect(page.getByTestId('audit-export').locator('svg')).toHaveAttribute('data-icon', 'download')
    await page.goto(`${server.origin}/#/tenants/${overLimit.id}/limits`)
  })

  await test.step('in Spanish, a limit written "4.000" is saved as 4000, and "1,5" is not a whole number (never "Obligatorio")', async () => {
    await rpc(page, 'settings.update', { language: 'es' })
    await page.reload()
    await expect(page.locator('html')).toHaveAttribute('lang', 'es')
    const field = page.getByRole('textbox', { name: 'Llamadas al agente por día' })
    await field.fill('1,5')
    await page.getByRole('button', { name: 'Guardar límites' }).click()
    // The field's own error, linked to it (the before/after preview says it too).
    await expect(field).toHaveAccessibleDescription(/Escriba un número entero/)
    await expect(page.getByRole('main').getByText('Obligatorio')).toHaveCount(0)
    await field.fill('4.000')
    await page.getByRole('button', { name: 'Guardar límites' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Límites guardados' })).toBeVisible()
    const detail = await rpc<{ limits: { agentUsageLimit: number } }>(page, 'tenants.get', { tenantId: overLimit.id })
    expect(detail.limits.agentUsageLimit).toBe(4000)
    await rpc(page, 'settings.update', { language: 'en' })
    await page.reload()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  })

  await test.step('support: its areas; its own break-glass grant about to end, which opens the tenant', async () => {
    await signInAs(page, 'Support', /avia_lucia_support/)
    const { rows: mine } = await rpc<{ rows: DirectoryRow[] }>(page, 'tenants.list', { limit: 500 })
    const visible = new Set(mine.map((row) => row.id))
    // A tenant of another desk, reached for ten minutes.
    const { rows: all } = await signInAsAdminList(page)
    const other = all.find((row) => !visible.has(row.id) && row.id !== overLimit.id)!
    await signInAs(page, 'Support', /avia_lucia_support/)
    await rpc(page, 'tenants.requestAccess', { tenantId: other.id, reason: 'Customer called: orders are not syncing', minutes: 10 })

    await home(page)
    expect(await navigationOffers(page)).toEqual(SUPPORT_AREAS)
    const item = items(page).filter({ hasText: `Your access to ${other.name} ends in 10 minutes` })
    await expect(item).toHaveCount(1)
    // The admin's tenant over its limit is not this desk's, unless assigned to it.
    if (!visible.has(overLimit.id)) await expect(items(page).filter({ hasText: overLimit.name })).toHaveCount(0)
    await item.click()
    await expect(page).toHaveURL(new RegExp(`#/tenants/${other.id}$`))
    await expect(page.getByRole('heading', { level: 1, name: other.name })).toBeVisible()
  })

  for (const [group, operator] of [['Finance', /avia_olivia_finance/], ['Moderator', /avia_carmen_moderator/]] as const) {
    await test.step(`${group.toLowerCase()}: the home is its first screen, with no support items; no area that can only refuse`, async () => {
      await signInAs(page, group, operator)
      await home(page)
      expect(await navigationOffers(page)).toEqual(AREAS_OF[group])
      await expect(inbox(page)).toBeVisible()
      // Limits, failing workflows and break-glass are support's and the admins': not asked for this group
      // (a moderator's own item is the review queue's).
      const own = group === 'Moderator' ? /^#\/(settings\/|marketplace$)/ : /^#\/(settings|usage)\//
      for (const link of await items(page).all()) expect(await link.getAttribute('href')).toMatch(own)
      await expect(inbox(page).getByTestId('inbox-gaps')).toHaveCount(0)
      await expect(nav(page).getByTestId('nav-badge-tenants')).toHaveCount(0)
      await expect(nav(page).getByTestId('nav-badge-executions')).toHaveCount(0)
    })
  }

  await test.step('moderator: the review queue over its SLA is in the inbox and opens the queue, oldest (over SLA) first', async () => {
    const item = items(page).filter({ hasText: 'The review queue is over its 48 h target' })
    await expect(item).toHaveCount(1)
    await expect(item).toContainText(/Waiting longer than the target: \d+; the oldest was submitted \d+ (hours|days) ago/)
    await expect(nav(page).getByTestId('nav-badge-marketplace')).toContainText('1')
    await item.click()
    await expect(page).toHaveURL(/#\/marketplace$/)
    await expect(page.getByText('Over SLA').first()).toBeVisible({ timeout: SCREEN_LOAD })
  })

  await test.step('finance: a planted usage anomaly is in the inbox, counted on Usage, and opens the anomalies view', async () => {
    await signInAs(page, 'Finance', /avia_olivia_finance/)
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10)
    const { anomalies } = await rpc<{ anomalies: { tenantId: string; name: string }[] }>(page, 'usage.anomalies', { period: { from: day(29), to: day(0) } })
    const planted = anomalies[0]!
    expect(planted, 'the demo plants usage anomalies').toBeTruthy()
    await home(page)
    const item = items(page).filter({ hasText: `${planted.name}: unusual usage on` })
    await expect(item).toHaveCount(1)
    await expect(nav(page).getByTestId('nav-badge-usage')).toBeVisible()
    await item.click()
    await expect(page).toHaveURL(/#\/usage\/anomalies$/)
    await expect(page.locator(`[data-testid="usage-anomaly-row"][data-tenant="${planted.tenantId}"]`).first()).toBeVisible()
  })
})

/** The admin's whole directory (support sees only its desk's tenants), then back to the caller. */
async function signInAsAdminList(page: Page): Promise<{ rows: DirectoryRow[] }> {
  await signInAs(page, 'Administrator', /avia_javier_admin/)
  return rpc<{ rows: DirectoryRow[] }>(page, 'tenants.list', { limit: 500 })
}
