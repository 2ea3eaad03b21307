import { expect, test } from '@playwright/test'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'
import { callProcedure, openConsolePage, seededDatabase } from './support/seeded-database'

/*
 * Issue 15 §7, readable details, in Chromium against a console signed in as the seeded support
 * operator: a failed run on the tenant overview opens its execution; the JSON boxes are tall enough
 * to read, collapse and copy; the execution's address reopens it; conversation hits are marked and
 * open their conversation.
 */
const db = seededDatabase('d', 'details')
const SUPPORT = `${db.prefix}_lucia_support`
let server: ConsoleServer

test.beforeAll(async () => {
  test.setTimeout(300_000)
  await db.create()
  server = await startConsoleServer({ env: { DATABASE_URL: db.url(SUPPORT) }, logName: 'e2e-details-support.log' })
})

test.afterAll(async () => {
  await server?.stop()
  await db.drop()
})

test('support: failed run → execution detail, tall copyable JSON, deep link, conversation hits', async ({ browser }) => {
  // Five screens and an axe run: on a loaded machine the 3 minutes ran out during axe.
  test.setTimeout(420_000)
  const { context, page } = await openConsolePage(browser, server)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin })
  const main = page.getByRole('main')

  // A tenant of Lucía's with failed runs on its overview.
  const directory = await callProcedure(page, server, 'tenants.list', { limit: 100 })
  let tenantId = ''
  let failedId = ''
  for (const row of directory.value.rows as { id: string }[]) {
    const detail = await callProcedure(page, server, 'tenants.get', { tenantId: row.id })
    if (detail.value.failedExecutions.length > 0) {
      tenantId = row.id
      failedId = detail.value.failedExecutions[0].id
      break
    }
  }
  expect(failedId).not.toBe('')

  await test.step('a failed execution on the tenant overview links to its detail', async () => {
    await page.goto(`${server.origin}/#/tenants/${tenantId}/overview`)
    const link = main.getByTestId('failed-execution-link').first()
    await link.click()
    await expect(page).toHaveURL(new RegExp(`#/executions/open/${tenantId}/${failedId}$`))
    const detail = page.getByTestId('execution-detail')
    // The list beside it fans out over Lucía's tenants first: on a loaded machine that takes a while.
    await expect(detail.getByText(failedId)).toBeVisible({ timeout: 60_000 })
  })

  await test.step('the JSON boxes are tall enough to read, collapse from the keyboard, and copy', async () => {
    const detail = page.getByTestId('execution-detail')
    const input = detail.getByRole('group', { name: 'Input' })
    await expect(input).toBeVisible()
    // Not squeezed (the boxes were 16 px high): at least three lines, and all of the value up to the
    // box's own limit, past which it scrolls.
    const size = await input.evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight, line: parseFloat(getComputedStyle(el).lineHeight) }))
    expect(size.client).toBeGreaterThanOrEqual(3 * size.line)
    expect(size.client).toBeGreaterThanOrEqual(Math.min(size.scroll, 380))
    expect(await input.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono/i)
    // The heading is a disclosure button: Enter hides the value, Enter again shows it.
    const toggle = detail.getByRole('button', { name: 'Input', exact: true })
    await toggle.focus()
    await page.keyboard.press('Enter')
    await expect(toggle).toHaveAttribute('aria-expanded', 'false')
    await expect(input).toBeHidden()
    await page.keyboard.press('Enter')
    await expect(input).toBeVisible()
    // Copy, from the keyboard: the clipboard holds the value as pretty-printed JSON.
    await detail.getByRole('button', { name: 'Copy Input' }).focus()
    await page.keyboard.press('Enter')
    await expect(detail.getByText('Copied as JSON.')).toBeVisible()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    const execution = (await callProcedure(page, server, 'executions.get', { tenantId, id: failedId })).value.execution
    expect(JSON.parse(copied)).toEqual(execution.input)
    expect(copied).toBe(JSON.stringify(execution.input, null, 2))
  })

  await test.step('copy link gives the execution’s address, and opening it reopens the execution', async () => {
    await page.getByTestId('execution-detail').getByRole('button', { name: 'Copy link' }).click()
    const link = await page.evaluate(() => navigator.clipboard.readText())
    expect(link).toBe(`${server.origin}/#/executions/open/${tenantId}/${failedId}`)
    await page.goto(`${server.origin}/#/overview`)
    await expect(page.getByTestId('execution-detail')).toHaveCount(0)
    await page.goto(link)
    await expect(page.getByTestId('execution-detail').getByText(failedId)).toBeVisible({ timeout: 60_000 })
    // Selecting another row puts that one in the address.
    const grid = main.getByRole('grid', { name: /Workflow executions/ })
    await expect(grid.getByRole('row').nth(1)).toContainText(/\d/, { timeout: 60_000 })
    await grid.getByRole('row').nth(1).click()
    await expect(page).toHaveURL(/#\/executions\/open\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/)
    await expectNoSeriousAxeViolations(page, 'execution detail with JSON boxes')
  })

  await test.step('an audit entry has its address too', async () => {
    await page.goto(`${server.origin}/#/audit`)
    const first = main.getByRole('grid', { name: /Audit entries/ }).getByRole('row').nth(1)
    await expect(first).toContainText(/\d/, { timeout: 60_000 })
    await first.click()
    await expect(page.getByTestId('audit-detail')).toBeVisible()
    const address = page.url()
    expect(address).toMatch(/#\/audit\/open\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/)
    await page.goto(`${server.origin}/#/overview`)
    await page.goto(address)
    await expect(page.getByTestId('audit-detail').getByRole('heading', { level: 2 })).toContainText(/Audit entry · \w+/)
  })

  await test.step('conversation search marks its hits (as text) and opens their conversation', async () => {
    await page.goto(`${server.origin}/#/tenants/${tenantId}/support`)
    await main.locator('.tenant-session').first().click()
    const transcript = main.getByRole('region', { name: /Transcript/ })
    const firstMessage = (await transcript.locator('.tenant-message p').nth(1).innerText()).replace(/^Customer:\s*/, '')
    const needle = firstMessage.split(/\s+/).filter((w) => w.length > 4)[0]!
    await main.getByRole('searchbox', { name: 'Search this tenant’s conversations' }).fill(needle.toUpperCase())
    await main.getByRole('button', { name: 'Search', exact: true }).click()
    const hits = main.locator('.tenant-messages').first()
    await expect(hits.locator('mark').first()).toBeVisible()
    // Case-insensitive as the search: the marks hold the text as written, in the needle's letters.
    for (const mark of await hits.locator('mark').allInnerTexts()) expect(mark.toLowerCase()).toBe(needle.toLowerCase())
    await hits.getByRole('button', { name: 'Open this conversation' }).first().click()
    await expect(transcript.getByRole('heading', { name: 'Session context' })).toBeVisible()
  })
  await context.close()
})
