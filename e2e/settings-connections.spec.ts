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
    await expect(dialog.getByRole('status').filter({ hasText: 'Nothing answers at this host and port.' })).toBeVisible({ timeout: 30_000 })
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

test('settings → offline sync: a window is checked before saving, kept after a reload; a tenant can be pinned and removed', async ({ page }) => {
  await openConsole(page)
  await rpc(page, 'settings.update', { language: 'en', theme: 'light' })
  const syncSettings = async () => ((await rpc(page, 'settings.get', {})) as { sync: { windowDays: Record<string, number>; pinnedTenantIds: string[] } }).sync
  const original = await syncSettings()
  await page.goto(`${new URL(consoleUrl()).origin}/#/settings/sync`)
  const main = page.getByRole('main')
  await expect(main.getByRole('heading', { name: 'Offline sync' })).toBeVisible()
  const auditWindow = main.getByLabel('Audit log (days)')
  const save = main.getByRole('button', { name: 'Save' })

  try {
    await test.step('a zero-day window is refused with its message, the field gets the focus, nothing is saved', async () => {
      await auditWindow.fill('0')
      await save.click()
      await expect(auditWindow).toHaveAttribute('aria-invalid', 'true')
      await expect(auditWindow).toBeFocused()
      await expect(main.getByText('A whole number of days from 1 to 3,650.')).toBeVisible()
      await expectNoSeriousAxeViolations(page, 'offline sync settings with an error')
      expect((await syncSettings()).windowDays).toEqual(original.windowDays)
    })

    await test.step('30 days is saved, and still there after a reload', async () => {
      await auditWindow.fill('30')
      await auditWindow.press('Enter')
      await expect(page.getByRole('status').filter({ hasText: 'Offline sync settings saved.' })).toBeVisible()
      await expect(auditWindow).not.toHaveAttribute('aria-invalid', 'true')
      await page.reload()
      await expect(main.getByLabel('Audit log (days)')).toHaveValue('30')
      expect((await syncSettings()).windowDays.audit_logs).toBe(30)
    })

    await test.step('a tenant found by name is pinned, listed, and removed again', async () => {
      const { matches } = (await rpc(page, 'tenants.search', { query: 'a', limit: 1 })) as { matches: { id: string; name: string }[] }
      const tenant = matches[0]!
      await main.getByLabel('Find a tenant to pin').fill(tenant.name)
      await main.getByRole('list', { name: 'Matching tenants' }).getByRole('button', { name: `Pin tenant ${tenant.name}` }).click()
      const pinnedList = main.getByRole('list', { name: 'Pinned tenants' })
      await expect(pinnedList).toContainText(tenant.name)
      expect((await syncSettings()).pinnedTenantIds).toEqual([...original.pinnedTenantIds, tenant.id])
      await expectNoSeriousAxeViolations(page, 'offline sync settings with a pinned tenant')
      await pinnedList.getByRole('button', { name: `Remove pinned tenant ${tenant.name}` }).click()
      await expect(page.getByRole('status').filter({ hasText: `“${tenant.name}” is no longer pinned.` })).toBeVisible()
      await expect(main.getByRole('list', { name: 'Pinned tenants' }).getByText(tenant.name)).toHaveCount(0)
      expect((await syncSettings()).pinnedTenantIds).toEqual(original.pinnedTenantIds)
    })
  } finally {
    // Other specs share this console: leave the cache's windows as they were.
    await rpc(page, 'settings.update', { sync: original })
  }
})
