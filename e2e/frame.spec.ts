import { expect, test, type Locator, type Page } from '@playwright/test'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

test.describe.configure({ mode: 'serial' })

// Its own console, started here from an empty data directory with the browser already up, so the
// page opens while the embedded database is still being created (the suite's shared console may
// be online long before this test's page loads).
let server: ConsoleServer
test.beforeAll(async () => {
  server = await startConsoleServer({ logName: 'e2e-frame-console.log' })
})
test.afterAll(async () => {
  await server?.stop()
})

test('the frame: demo database start-up, Spanish, dark theme, command palette, accessibility, README screenshot', async ({ page }) => {
  // Every area in both themes under axe: about 5 minutes on a quiet 2-core machine, more when it is busy.
  test.setTimeout(900_000)
  // Every state the status indicator takes, recorded from the first render on: asserting the
  // current state at one instant would race the start-up.
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { seenStates: string[] }).seenStates = seen
    new MutationObserver(() => {
      const state = document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state')
      if (state && seen[seen.length - 1] !== state) seen.push(state)
    }).observe(document, { subtree: true, attributes: true, childList: true, attributeFilter: ['data-state'] })
  })
  const html = page.locator('html')
  const status = page.getByTestId('connection-status')
  const main = page.getByRole('main')

  await test.step('a fresh data directory: startup progress, then online on the demo database', async () => {
    await page.goto(server.url)
    // The launch token opened the session and is gone from the address bar.
    expect(page.url()).not.toContain('token=')
    await expect(html).toHaveAttribute('lang', 'en')
    await expect(page.getByRole('progressbar').first()).toBeVisible({ timeout: 60_000 })
    await expect(status).toHaveAttribute('data-state', 'online', { timeout: 240_000 })
    expect(await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates)).toEqual(['connecting', 'online'])
    await expect(status).toContainText('Online')
    // The startup job finishes and its bar goes away.
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 })
  })

  await test.step('the overview shows the real operator and groups from system.status', async () => {
    await expect(main.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
    await expect(page.getByTestId('overview-profile')).not.toBeEmpty()
    await expect(page.getByTestId('overview-operator')).not.toHaveText(/Not signed in/)
    await expect(page.getByTestId('overview-groups').getByText(/admin/)).toBeVisible()
  })

  await test.step('axe: light theme, English', async () => {
    await expectNoSeriousAxeViolations(page, 'overview, light')
  })

  await test.step('switch to Spanish and to the dark theme in Settings → General', async () => {
    await page.getByRole('navigation', { name: 'Console areas' }).getByRole('link', { name: 'Settings' }).click()
    await expect(page).toHaveURL(/#\/settings$/)
    await page.getByRole('navigation', { name: 'Settings pages' }).getByRole('link', { name: 'General' }).click()
    await page.getByRole('radio', { name: 'Español' }).check()
    await expect(html).toHaveAttribute('lang', 'es')
    await expect(main.getByRole('heading', { level: 1, name: 'Configuración' })).toBeVisible()
    await page.getByRole('radio', { name: 'Oscuro' }).check()
    await expect(html).toHaveAttribute('data-theme', 'dark')
    await expect(status).toContainText('En línea')
  })

  await test.step('both choices were saved by the backend: they survive a reload', async () => {
    await page.reload()
    await expect(html).toHaveAttribute('lang', 'es')
    await expect(html).toHaveAttribute('data-theme', 'dark')
    await expect(page.getByRole('radio', { name: 'Oscuro' })).toBeChecked()
  })

  await test.step('command palette: Ctrl+K, fuzzy search, Enter jumps', async () => {
    await page.keyboard.press('Control+K')
    const palette = page.getByRole('dialog', { name: 'Paleta de comandos' })
    await expect(palette).toBeVisible()
    const input = palette.getByRole('combobox')
    await expect(input).toBeFocused()
    await input.fill('resmn')
    await expect(palette.getByRole('option').first()).toContainText('Resumen')
    await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true')
    await expectNoSeriousAxeViolations(page, 'command palette, dark')
    await input.press('Enter')
    await expect(palette).toBeHidden()
    await expect(page).toHaveURL(/#\/overview$/)
    await expect(main.getByRole('heading', { level: 1, name: 'Resumen' })).toBeVisible()
    await expect(main).toBeFocused()

    // Arrow keys move through the results; a settings page is reachable by its own name.
    await page.keyboard.press('Control+K')
    await input.fill('conexi')
    const connections = palette.getByRole('option', { name: 'Conexiones', exact: true })
    await expect(connections).toBeVisible()
    while ((await connections.getAttribute('aria-selected')) !== 'true') await input.press('ArrowDown')
    await input.press('Enter')
    await expect(page).toHaveURL(/#\/settings\/connections$/)
    await expect(main.getByRole('heading', { level: 2, name: 'Conexiones' })).toBeVisible()

    // Escape closes without going anywhere.
    await page.keyboard.press('Control+K')
    await input.fill('zzzz')
    await expect(palette.getByText('Nada coincide con «zzzz».')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(palette).toBeHidden()
    await expect(page).toHaveURL(/#\/settings\/connections$/)
  })

  await test.step('axe: dark theme, Spanish, on every area and every settings page', async () => {
    await expectNoSeriousAxeViolationsOnEveryScreen(page, 'dark')
  })

  await test.step('palette commands switch back to English and the light theme', async () => {
    await page.keyboard.press('Control+K')
    const palette = page.getByRole('dialog', { name: 'Paleta de comandos' })
    await palette.getByRole('combobox').fill('claro')
    await palette.getByRole('option', { name: 'Usar el tema claro' }).click()
    await expect(html).toHaveAttribute('data-theme', 'light')
    await page.keyboard.press('Control+K')
    await palette.getByRole('combobox').fill('english')
    await palette.getByRole('combobox').press('Enter')
    await expect(html).toHaveAttribute('lang', 'en')
    await expect(main.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
    await expectNoSeriousAxeViolations(page, 'overview, light (after switching back)')
  })

  await test.step('keyboard: the skip link is the first stop and moves focus to the main content', async () => {
    await page.reload()
    await expect(main.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to main content' })
    await expect(skip).toBeFocused()
    await expect(skip).toBeInViewport()
    await page.keyboard.press('Enter')
    await expect(main).toBeFocused()
  })

  await test.step('README screenshot', async () => {
    await page.mouse.move(0, 0)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.screenshot({ path: 'docs/screenshot.png' })
  })

  // After the screenshot, so the screenshot's "last offline sync" is the moment the page opened, as before.
  await test.step('axe: light theme, English, on every area and every settings page', async () => {
    await expectNoSeriousAxeViolationsOnEveryScreen(page, 'light')
  })
})

/** Every area the sidebar offers and every page Settings lists, read from the navigation, so a new one is covered without an edit here. */
async function expectNoSeriousAxeViolationsOnEveryScreen(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const main = page.getByRole('main')
  const hrefs = (links: Locator) => links.evaluateAll((elements) => elements.map((element) => element.getAttribute('href') ?? ''))
  await page.goto(`${server.origin}/#/settings`)
  // Settings is a lazy screen: its navigation is there once its first page is.
  await expect(main.getByRole('heading', { level: 2 })).toBeVisible()
  const areas = await hrefs(page.locator('nav.sidebar a'))
  const settingsPages = await hrefs(page.locator('nav.subnav a'))
  // The five areas of today at least: the list cannot shrink to a sample unnoticed.
  expect(areas).toEqual(expect.arrayContaining(['#/overview', '#/tenants', '#/executions', '#/audit', '#/settings']))
  expect(settingsPages).toEqual(expect.arrayContaining(['#/settings/connections', '#/settings/sync', '#/settings/general']))
  for (const href of [...areas.filter((area) => area !== '#/settings'), ...settingsPages]) {
    await page.goto(`${server.origin}/${href}`)
    await expect(main.getByRole('heading', { level: 1 })).toBeVisible()
    await expect(main.getByRole('status').filter({ hasText: /^(Loading|Cargando)…$/ })).toHaveCount(0)
    // A review list has its first rows (not only its loading placeholder) before it is checked.
    if (href === '#/executions' || href === '#/audit' || href === '#/tenants') await expect(main.getByRole('grid').first().getByRole('row').nth(1)).toBeVisible()
    await expectNoSeriousAxeViolations(page, `${href}, ${theme}`)
  }
  await page.goto(`${server.origin}/#/overview`)
  await expect(main.getByRole('heading', { level: 1 })).toBeVisible()
}
