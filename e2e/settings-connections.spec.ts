import { expect, test } from '@playwright/test'
import { expectNoSeriousAxeViolations } from './support/axe'
import { consoleUrl, openConsole, rpc } from './support/console'

test('settings → connections: test the demo database, add, test and remove a profile', async ({ page }) => {
  await openConsole(page)
  await rpc(page, 'settings.update', { language: 'en', theme: 'light' })
  await page.goto(`${new URL(consoleUrl()).origin}/#/settings/connections`)
  const main = page.getByRole('main')
  const table = main.getByRole('table', { name: 'Connection profiles' })

  await test.step('the active demo connection logs in when tested', async () => {
    const demoRow = table.getByRole('row').filter({ hasText: 'Active' })
    await expect(demoRow).toContainText('Demo')
    await demoRow.getByRole('button', { name: /^Test connection/ }).click()
    await expect(main.getByText(/Connected as \S+ · PostgreSQL \d+/)).toBeVisible({ timeout: 30_000 })
  })

  await test.step('the form refuses bad input with field messages and saves nothing', async () => {
    const before = (await rpc(page, 'connections.list', {})) as { connections: unknown[] }
    await main.getByRole('button', { name: 'Add connection' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add a connection' })
    await dialog.getByLabel('Host').fill('admin:secret@db.example.net')
    await dialog.getByLabel('Port').fill('70000')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true')
    await expect(dialog.getByText('A host name or IP address, without user, password or path.')).toBeVisible()
    await expect(dialog.getByText('A whole number from 1 to 65535.')).toBeVisible()
    await expectNoSeriousAxeViolations(page, 'connection form with errors')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toBeHidden()
    const after = (await rpc(page, 'connections.list', {})) as { connections: unknown[] }
    expect(after.connections).toEqual(before.connections)
  })

  await test.step('a profile for a server that is not there: "Test connection" says so; it is saved with its password in the keychain', async () => {
    await main.getByRole('button', { name: 'Add connection' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add a connection' })
    await dialog.getByLabel('Name').fill('Staging (unreachable)')
    await dialog.getByLabel('Host').fill('127.0.0.1')
    await dialog.getByLabel('Port').fill('1')
    await dialog.getByLabel('Database').fill('avia')
    await dialog.getByLabel('User').fill('e2e_support')
    await dialog.getByLabel('Password').fill('e2e-not-a-real-password')
    await dialog.getByRole('button', { name: 'Test connection' }).click()
    await expect(dialog.getByRole('status').filter({ hasText: 'The database cannot be reached' })).toBeVisible({ timeout: 30_000 })
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('status').filter({ hasText: 'Connection “Staging (unreachable)” saved.' })).toBeVisible()
    const row = table.getByRole('row').filter({ hasText: 'Staging (unreachable)' })
    await expect(row).toContainText('e2e_support@127.0.0.1:1/avia')
    await expect(row).toContainText('In keychain')
    // The password never comes back to the renderer.
    const listed = JSON.stringify(await rpc(page, 'connections.list', {}))
    expect(listed).toContain('Staging (unreachable)')
    expect(listed).not.toContain('e2e-not-a-real-password')
  })

  await test.step('remove it after confirming', async () => {
    const row = table.getByRole('row').filter({ hasText: 'Staging (unreachable)' })
    await row.getByRole('button', { name: 'Remove connection Staging (unreachable)' }).click()
    const confirm = page.getByRole('dialog', { name: 'Remove “Staging (unreachable)”?' })
    await expect(confirm).toBeVisible()
    await confirm.getByRole('button', { name: 'Remove' }).click()
    await expect(confirm).toBeHidden()
    await expect(row).toHaveCount(0)
    const { connections } = (await rpc(page, 'connections.list', {})) as { connections: { name: string }[] }
    expect(connections.map((c) => c.name)).not.toContain('Staging (unreachable)')
  })
})
