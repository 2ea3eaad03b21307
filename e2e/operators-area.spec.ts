import { expect, test } from '@playwright/test'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'
import { callProcedure, openConsolePage, seededDatabase } from './support/seeded-database'

/*
 * Issue 15 §3's "done when", in Chromium against the real backend on a freshly seeded database of
 * its own: the demo admin assigns a tenant to the demo support operator and ends her break-glass
 * grant early with a reason; both appear in the audit log with the admin as the actor. Axe runs on
 * the screen in both themes.
 */
const db = seededDatabase('o', 'operators')
const { prefix } = db
const ADMIN = `${prefix}_javier_admin`
const SUPPORT = `${prefix}_lucia_support`
const GRANT_REASON = 'Customer phoned: the bot stopped answering on WhatsApp'
const END_REASON = 'Ticket #4411 solved, access no longer needed'

let server: ConsoleServer
/** A tenant the support operator is not assigned to (to assign), and another one (her break-glass grant). */
let toAssign: { id: string; name: string }
let reached: { id: string; name: string }

test.beforeAll(async () => {
  test.setTimeout(300_000)
  await db.create()
  const unassigned = await db.query(async (c) =>
    (await c.query<{ id: string; name: string }>(
      `select t.id, t.name from tenants t
        where not exists (select 1 from operator_tenants o where o.operator = $1 and o.tenant_id = t.id)
        order by t.name limit 2`, [SUPPORT])).rows)
  ;[toAssign, reached] = [unassigned[0]!, unassigned[1]!]
  await db.query((c) => c.query('select app.request_break_glass($1, $2, 120)', [reached.id, GRANT_REASON]), { user: SUPPORT })
  server = await startConsoleServer({ env: { DATABASE_URL: db.url(ADMIN) }, logName: 'e2e-operators-area.log' })
})

test.afterAll(async () => {
  await server?.stop()
  await db.drop()
})

test('an admin assigns a tenant to a support operator and ends a break-glass grant; both are in the audit log', async ({ browser }) => {
  // Axe runs four times on a machine shared with other suites.
  test.setTimeout(900_000)
  const { context, page } = await openConsolePage(browser, server)
  const main = page.getByRole('main')

  await test.step('the navigation offers Operators to the admin; the screen lists the operators and the grant in force', async () => {
    await page.getByRole('navigation', { name: 'Console areas' }).getByRole('link', { name: /Operators/ }).click()
    await expect(page).toHaveURL(/#\/operators$/)
    const operators = main.getByRole('table', { name: 'Operators' })
    await expect(operators.locator(`[data-operator="${SUPPORT}"]`)).toContainText('Support')
    await expect(operators.locator(`[data-operator="${ADMIN}"]`)).toContainText('All tenants')
    const grants = main.getByRole('table', { name: 'Break-glass grants in force' })
    await expect(grants.getByRole('row').filter({ hasText: reached.name })).toContainText(GRANT_REASON)
  })

  await test.step('assign a tenant from the keyboard: the operator sees it at once', async () => {
    await page.goto(`${server.origin}/#/operators`)
    await main.getByRole('table', { name: 'Operators' }).getByRole('link', { name: SUPPORT }).click()
    await expect(page).toHaveURL(new RegExp(`#/operators/${SUPPORT}$`))
    const search = main.getByLabel('Find a tenant by name or slug')
    await search.focus()
    await page.keyboard.type(toAssign.name)
    const assign = main.getByRole('button', { name: `Assign ${toAssign.name} to ${SUPPORT}` })
    await assign.focus()
    await page.keyboard.press('Enter')
    const assigned = main.getByTestId('operator-tenants')
    await expect(assigned.getByRole('button', { name: `Unassign ${toAssign.name} from ${SUPPORT}` })).toBeVisible()
    const visible = await db.query(async (c) => (await c.query('select 1 from app.visible_tenants() where tenant_id = $1', [toAssign.id])).rowCount, { user: SUPPORT })
    expect(visible).toBe(1)
  })

  await test.step('end the grant early with a reason: it leaves the list and the operator loses the tenant', async () => {
    const grants = main.getByRole('table', { name: 'Break-glass grants in force' })
    await grants.getByRole('button', { name: `End the break-glass access of ${SUPPORT} to ${reached.name} now` }).click()
    const dialog = page.getByRole('dialog', { name: 'End break-glass access now' })
    await dialog.getByRole('button', { name: 'End now' }).click()
    await expect(dialog.getByText('Give a reason of at least 10 characters.')).toBeVisible()
    await dialog.getByLabel('Why end it early').fill(END_REASON)
    await dialog.getByRole('button', { name: 'End now' }).click()
    await expect(dialog).toBeHidden()
    await expect(main.getByText('No break-glass grant is in force.')).toBeVisible()
    const canSee = await db.query(async (c) => (await c.query<{ can: boolean }>('select app.can_see_tenant($1) as can', [reached.id])).rows[0]!.can, { user: SUPPORT })
    expect(canSee).toBe(false)
  })

  await test.step('both changes are in the audit log with the admin as actor, and in his recent actions', async () => {
    for (const [resourceType, action, tenant] of [
      ['operator_tenants', 'Created', toAssign.name],
      ['break_glass_grants', 'Changed', reached.name]
    ] as const) {
      await page.goto(`${server.origin}/#/audit`)
      await main.getByLabel('Resource type').fill(resourceType)
      const entry = main.getByRole('grid').getByRole('row').filter({ hasText: action }).filter({ hasText: ADMIN }).filter({ hasText: tenant })
      await expect(entry.first()).toBeVisible()
    }
    await page.goto(`${server.origin}/#/operators/${ADMIN}`)
    const recent = main.getByTestId('operator-actions')
    await expect(recent.getByRole('row').nth(1)).toContainText(reached.name)
    await expect(recent.getByRole('row').nth(1)).toContainText('Changed')
    await expect(recent.getByRole('row').nth(2)).toContainText(toAssign.name)
    await expect(recent.getByRole('row').nth(2)).toContainText('Created')
  })

  await test.step('axe in both themes on an operator opened beside the list and the grants', async () => {
    for (const theme of ['light', 'dark'] as const) {
      expect((await callProcedure(page, server, 'settings.update', { theme })).ok).toBe(true)
      await page.goto(`${server.origin}/#/operators/${SUPPORT}`)
      await expect(main.getByRole('region', { name: `Recent actions of ${SUPPORT}` })).toBeVisible()
      await expectNoSeriousAxeViolations(page, `operators, ${theme}`)
    }
    await callProcedure(page, server, 'settings.update', { theme: 'system' })
  })

  await context.close()
})
