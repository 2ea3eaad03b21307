import { randomBytes } from 'node:crypto'
import { expect, test, type Browser, type Page } from '@playwright/test'
import pg from 'pg'
import { migrate } from '../src/main/db/migrate'
import { seedDatabase } from '../src/main/demo/seed'
import { startEmbeddedServer, type EmbeddedServer } from '../test/helpers/embedded-pg'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

/*
 * Issue 11's "Done when", as the demo's moderators do it: a PostgreSQL of this test's own with the
 * demo data set and its operators (so both demo moderators have a password the test knows), and
 * two consoles on it, one signed in as each moderator, each in its own browser context.
 */
const DATABASE = 'avia_market_e2e'
let server: EmbeddedServer
let carmenConsole: ConsoleServer
let diegoConsole: ConsoleServer

test.beforeAll(async () => {
  test.setTimeout(300_000)
  server = await startEmbeddedServer()
  const admin = { host: server.host, port: server.port, user: server.adminUser, password: server.adminPassword, sslMode: 'disable' as const }
  const bootstrap = new pg.Client({ ...admin, database: 'postgres', ssl: false })
  await bootstrap.connect()
  await bootstrap.query(`create database ${DATABASE}`)
  await bootstrap.end()
  await migrate({ ...admin, database: DATABASE }, { rolePrefix: 'avia' })
  const password = randomBytes(18).toString('base64url')
  await seedDatabase({ ...admin, database: DATABASE }, { scale: 'demo', operatorPassword: password })
  const url = (operator: string) => `postgresql://${operator}:${password}@${server.host}:${server.port}/${DATABASE}?sslmode=disable`
  ;[carmenConsole, diegoConsole] = await Promise.all([
    startConsoleServer({ env: { DATABASE_URL: url('avia_carmen_moderator') }, logName: 'e2e-marketplace-carmen.log' }),
    startConsoleServer({ env: { DATABASE_URL: url('avia_diego_moderator') }, logName: 'e2e-marketplace-diego.log' })
  ])
})

test.afterAll(async () => {
  await carmenConsole?.stop()
  await diegoConsole?.stop()
  await server?.stop()
})

async function openQueue(page: Page, console: ConsoleServer): Promise<void> {
  await page.goto(console.url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 60_000 })
  await page.goto(`${console.origin}/#/marketplace`)
  await expect(page.getByTestId('queue-row').first()).toBeVisible()
}

const queueRows = (page: Page) => page.getByTestId('queue-row')

/** Shows only the templates in `state` (its count button), and waits until the list is that one. */
async function onlyState(page: Page, state: string): Promise<void> {
  const button = page.getByTestId('state-counts').getByRole('button', { name: new RegExp(state) })
  await button.click()
  await expect(button).toHaveAttribute('aria-pressed', 'true')
  await expect(queueRows(page).first().locator('.state-badge')).toHaveText(state)
  await expect(queueRows(page).locator('.state-badge').filter({ hasNotText: state })).toHaveCount(0)
}
const review = (page: Page) => page.getByTestId('template-review')
const reviewTitle = (page: Page) => review(page).getByRole('heading', { level: 2 }).first()

async function setTheme(page: Page, console: ConsoleServer, theme: 'Dark' | 'Light'): Promise<void> {
  const back = page.url()
  await page.goto(`${console.origin}/#/settings/general`)
  await page.getByRole('radio', { name: theme }).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase())
  await page.goto(back)
}

test('moderation, keyboard first: claim, graph and risk, reject, bulk approve, take down, hide a review, two moderators, axe', async ({ page, browser }) => {
  test.setTimeout(300_000)
  await openQueue(page, carmenConsole)
  const oldest = (await queueRows(page).first().getByRole('link').innerText()).trim()

  await test.step('the queue: counts per state, oldest first with waiting time and SLA badge', async () => {
    await expect(page.getByTestId('state-counts')).toContainText('Submitted')
    await expect(queueRows(page).first()).toContainText('Over SLA')
    await expect(queueRows(page).first()).toHaveAttribute('aria-current', 'true')
  })

  await test.step('c claims the oldest item', async () => {
    await page.keyboard.press('c')
    await expect(page.getByRole('status').filter({ hasText: `Claimed “${oldest}”` })).toBeVisible()
    await expect(queueRows(page).first()).toContainText('You, until')
  })

  await test.step('Enter opens it: the graph, and the risk panel flags the planted key and the outbound hosts', async () => {
    await page.keyboard.press('Enter')
    await expect(reviewTitle(page)).toHaveText(oldest)
    await expect(page.getByTestId('workflow-graph').locator('.react-flow__node')).toHaveCount(3)
    const risk = page.getByTestId('risk-panel')
    await expect(risk.locator('[data-kind="hardcoded_secret"]')).toContainText('A hard-coded Stripe live key')
    await expect(risk.locator('[data-kind="hardcoded_secret"]')).toContainText('Create customer')
    await expect(page.getByTestId('risk-hosts')).toContainText('api.stripe.com')
    await expect(page.getByTestId('risk-hosts')).toContainText('hooks.slack.com')
    await expect(page.getByTestId('risk-level')).toContainText('Critical risk')
    // A finding links to its node: its parameters show.
    await risk.locator('[data-kind="hardcoded_secret"]').getByRole('button').click()
    await expect(page.getByTestId('node-parameters')).toContainText('Parameters of “Create customer”')
  })

  await test.step('axe, light and dark, with the review open', async () => {
    await expectNoSeriousAxeViolations(page, 'marketplace queue and review, light')
    await setTheme(page, carmenConsole, 'Dark')
    await expect(reviewTitle(page)).toHaveText(oldest)
    await expect(page.getByTestId('risk-panel')).toBeVisible()
    await expectNoSeriousAxeViolations(page, 'marketplace queue and review, dark')
    await setTheme(page, carmenConsole, 'Light')
  })

  let next = ''
  await test.step('r rejects with a reason, keyboard only, and the next item opens', async () => {
    await page.locator('body').focus()
    next = (await queueRows(page).nth(1).getByRole('link').innerText()).trim()
    await page.keyboard.press('r')
    const dialog = page.getByRole('dialog', { name: `Reject “${oldest}”` })
    await expect(dialog.getByRole('combobox', { name: 'Reason' })).toBeFocused()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect(dialog.getByRole('combobox', { name: 'Reason' })).toHaveValue('hardcoded_secret')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Use a Stripe credential instead of the pasted live key')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('status').filter({ hasText: `Rejected “${oldest}”` })).toBeVisible()
    await expect(reviewTitle(page)).toHaveText(next)
    await expect(page).toHaveURL(/#\/marketplace\/[0-9a-f-]{36}$/)
    await expect(queueRows(page).getByRole('link', { name: oldest, exact: true })).toHaveCount(0)
  })

  await test.step('history of the rejected template names the moderator and the reason', async () => {
    const rejectedUrl = page.url()
    await page.getByRole('tab', { name: 'History' }).click()
    await expect(page.getByTestId('history-panel')).toContainText('Claimed by avia_carmen_moderator')
    await page.goto(rejectedUrl)
  })

  await test.step('x selects three, bulk approve gives a result per item', async () => {
    await page.locator('body').focus()
    const names: string[] = []
    for (let i = 0; i < 3; i++) {
      names.push((await page.locator('.mq-row--cursor').getByRole('link').innerText()).trim())
      await page.keyboard.press('x')
      await page.keyboard.press('j')
    }
    await expect(page.getByRole('region', { name: '3 selected' })).toBeVisible()
    await page.getByRole('button', { name: 'Approve selected' }).click()
    const dialog = page.getByRole('dialog', { name: 'Approve 3 templates' })
    await dialog.getByRole('button', { name: 'Approve' }).click()
    const results = page.getByTestId('bulk-results')
    for (const name of names) await expect(results).toContainText(`${name}: Approved`)
    await expect(page.getByRole('status').filter({ hasText: '3 decided, 0 failed' })).toBeVisible()
  })

  await test.step('a published template: hide a review and see the rating change, then take it down', async () => {
    await page.goto(`${carmenConsole.origin}/#/marketplace`)
    await onlyState(page, 'Published')
    await queueRows(page).first().getByRole('link').click()
    await page.getByRole('tab', { name: 'Purchases & reviews' }).click()
    const rating = page.getByTestId('template-rating')
    const before = await rating.innerText()
    const count = Number(/from (\d+) reviews/.exec(before)![1])
    const visible = page.getByTestId('review-item').filter({ has: page.getByRole('button', { name: 'Hide' }) }).first()
    await visible.getByRole('button', { name: 'Hide' }).click()
    const dialog = page.getByRole('dialog', { name: 'Hide this review' })
    await dialog.getByRole('combobox', { name: 'Reason' }).selectOption('abusive')
    await dialog.getByRole('textbox').fill('Insults the author')
    await dialog.getByRole('button', { name: 'Hide' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Review hidden; rating now' })).toBeVisible()
    await expect(rating).toContainText(`from ${count - 1} reviews`)

    const name = (await reviewTitle(page).innerText()).trim()
    await review(page).getByRole('button', { name: 'Take down' }).click()
    const takedown = page.getByRole('dialog', { name: `Take down “${name}”` })
    await takedown.getByRole('combobox', { name: 'Reason' }).selectOption('security_issue')
    await takedown.getByRole('textbox').fill('Sends customer data to a host it does not explain')
    await takedown.getByRole('button', { name: 'Take down' }).click()
    await expect(page.getByRole('status').filter({ hasText: `Took down “${name}”` })).toBeVisible()
    await expect(review(page).locator('.state-badge')).toHaveText('Taken down')
    await expect(review(page)).toContainText('Sends customer data to a host it does not explain')
  })

  await test.step('the SLA target and claim lease: moderators read them, only admins change them', async () => {
    await page.goto(`${carmenConsole.origin}/#/marketplace/settings`)
    await expect(page.getByRole('textbox', { name: 'SLA target (hours)' })).toHaveValue('48')
    const save = page.getByRole('button', { name: 'Save settings' })
    await expect(save).toBeDisabled()
    const reason = page.getByText('Only administrators may do this.')
    expect(await save.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'))
    await expectNoSeriousAxeViolations(page, 'marketplace settings, light')
  })

  await test.step('a second moderator, in a second browser context: no claim on the first one’s item, a stale approve gets the conflict', async () => {
    await secondModerator(browser, page)
  })
})

async function secondModerator(browser: Browser, carmen: Page): Promise<void> {
  const context = await browser.newContext()
  const diego = await context.newPage()
  try {
    await openQueue(diego, diegoConsole)
    // Both open the same waiting item; Diego's screen keeps the version he saw.
    await onlyState(diego, 'Submitted')
    const name = (await queueRows(diego).first().getByRole('link').innerText()).trim()
    await queueRows(diego).getByRole('link', { name, exact: true }).click()
    await expect(reviewTitle(diego)).toHaveText(name)

    await carmen.goto(`${carmenConsole.origin}/${new URL(diego.url()).hash}`)
    await expect(reviewTitle(carmen)).toHaveText(name)
    await review(carmen).getByRole('button', { name: /^Claim/ }).click()
    await expect(carmen.getByRole('status').filter({ hasText: `Claimed “${name}”` })).toBeVisible()

    await review(diego).getByRole('button', { name: /^Approve/ }).click()
    await diego.getByRole('dialog', { name: `Approve “${name}”` }).getByRole('button', { name: 'Approve' }).click()
    await expect(diego.getByRole('alert').or(diego.getByRole('status')).filter({ hasText: 'avia_carmen_moderator changed this since you opened it' }).first()).toBeVisible()

    await diego.reload()
    await expect(review(diego).getByTestId('template-claim')).toContainText('avia_carmen_moderator, until')
    await review(diego).getByRole('button', { name: /^Claim/ }).click()
    await expect(diego.getByRole('alert').or(diego.getByRole('status')).filter({ hasText: 'avia_carmen_moderator' }).first()).toBeVisible()
    await expect(review(carmen).getByTestId('template-claim')).toContainText('You, until')
  } finally {
    await context.close()
  }
}
