import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { cacheFilePath, cacheIdentity } from '../src/main/cache/db'
import { unzip } from '../test/helpers/zip'
import { expectNoSeriousAxeViolations } from './support/axe'
import { startConsoleServer, type ConsoleServer } from './support/console-server'
import { callProcedure, openConsolePage, seededDatabase } from './support/seeded-database'

/*
 * Issue 12's "done when", in Chromium against two real consoles on one freshly seeded database:
 * a support operator assigned to the Spanish tenants and the demo admin. The local PostgreSQL
 * trusts 127.0.0.1, so DATABASE_URL needs no password.
 */
const db = seededDatabase('c', 'consent')
const { prefix, database } = db
const ADMIN = `${prefix}_javier_admin`
const SUPPORT = `${prefix}_lucia_support`

interface Subject {
  id: string
  tenant_id: string
  external_id: string
  email: string
}

let adminServer: ConsoleServer
let supportServer: ConsoleServer
let people: Subject[]

test.beforeAll(async () => {
  test.setTimeout(300_000)
  await db.create()
  // People of Lucía's tenants with an e-mail and no request yet: one with a consent history (a
  // grant and a revocation or re-grant), one who talked with an agent (conversations to erase).
  const person = (condition: string) =>
    db.query(async (c) =>
      (
        await c.query<Subject>(
          `select s.id, s.tenant_id, s.external_id, s.email from data_subjects s
            where s.email is not null and s.tenant_id in (select tenant_id from operator_tenants where operator = $1)
              and not exists (select 1 from data_subject_requests d where d.subject_id = s.id) and ${condition}
            order by s.external_id limit 1`,
          [SUPPORT]
        )
      ).rows[0]!
    )
  people = [
    await person('(select count(*) from user_consent u where u.tenant_id = s.tenant_id and u.user_id = s.external_id) >= 2'),
    await person('exists (select 1 from conversations c where c.tenant_id = s.tenant_id and c.user_id = s.external_id)')
  ]
  expect(people.every(Boolean)).toBe(true)
  adminServer = await startConsoleServer({ env: { DATABASE_URL: db.url(ADMIN) }, logName: 'e2e-consent-admin.log' })
  supportServer = await startConsoleServer({ env: { DATABASE_URL: db.url(SUPPORT) }, logName: 'e2e-consent-support.log' })
})

test.afterAll(async () => {
  await adminServer?.stop()
  await supportServer?.stop()
  await db.drop()
})

/** Looks a person up by e-mail on the Lookup tab and returns their row of matches. */
async function lookUp(page: Page, server: ConsoleServer, email: string) {
  await page.goto(`${server.origin}/#/consent/lookup`)
  const main = page.getByRole('main')
  await main.getByTestId('consent-lookup-kind').selectOption('email')
  await main.getByTestId('consent-lookup-identity').fill(email)
  await main.getByTestId('consent-lookup-submit').click()
  const matches = main.getByTestId('consent-lookup-matches')
  await expect(matches.getByRole('row')).toHaveCount(2)
  return matches
}

/** The request row of a person in the queue of their tenant. */
function requestRow(page: Page, person: Subject, type: string) {
  return page.getByRole('main').getByTestId('consent-request').filter({ hasText: person.external_id }).and(page.locator(`[data-type="${type}"]`))
}

const cachedConversations = (file: string, userId: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT count(*) FROM conversations WHERE user_id = ?').pluck().get(userId) as number
  } finally {
    db.close()
  }
}

test('consent: lookup and history, CSV, access ZIP, four-eyes erasure online and offline, audit, overdue badge, accessibility', async ({ browser }) => {
  test.setTimeout(300_000)
  const support = await openConsolePage(browser, supportServer)
  const admin = await openConsolePage(browser, adminServer)
  const [reader, erased] = people as [Subject, Subject]
  const main = support.page.getByRole('main')
  let accessRequestId = ''
  let erasureRequestId = ''

  await test.step('as support, look a person up by e-mail and see their consent history', async () => {
    const matches = await lookUp(support.page, supportServer, reader.email.toUpperCase())
    await expect(matches).toContainText(reader.external_id)
    await matches.getByTestId('consent-open-history').click()
    await expect(support.page).toHaveURL(new RegExp(`#/consent/people/${reader.tenant_id}/`))
    const history = main.getByTestId('consent-history')
    await expect(history).toContainText(reader.external_id)
    await expect(history.getByTestId('consent-history-entry').first()).toBeVisible()
    expect(await history.getByTestId('consent-history-entry').count()).toBeGreaterThanOrEqual(2)
  })

  await test.step('export the consent CSV', async () => {
    await expect(main.getByTestId('consent-people')).toContainText(reader.external_id)
    const [download] = await Promise.all([support.page.waitForEvent('download'), main.getByTestId('consent-export').click()])
    expect(download.suggestedFilename()).toMatch(/^consents-.*\.csv$/)
    const lines = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    expect(lines[0]).toBe('user_id,consent_type,state,since,record_id,policy_version,legal_basis')
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.slice(1).every((line) => line.startsWith(`${reader.external_id},`))).toBe(true)
  })

  await test.step('create an access request and download the ZIP; the manifest hashes match the files', async () => {
    const matches = await lookUp(support.page, supportServer, reader.email)
    await matches.getByTestId('consent-new-request').click()
    const dialog = support.page.getByRole('dialog')
    await dialog.getByTestId('consent-request-type').selectOption('access')
    await dialog.getByTestId('consent-create-request').click()
    await expect(support.page).toHaveURL(new RegExp(`#/consent/requests/${reader.tenant_id}`))
    const row = requestRow(support.page, reader, 'access')
    accessRequestId = (await row.getAttribute('data-request-id'))!
    await expect(row).toHaveAttribute('data-status', 'received')
    await expect(row.getByTestId('consent-days-left')).toHaveAttribute('data-overdue', 'false')
    await row.getByTestId('consent-verify').click()
    await expect(row).toHaveAttribute('data-status', 'identity_verified')
    const [download] = await Promise.all([support.page.waitForEvent('download'), row.getByTestId('consent-export-zip').click()])
    expect(download.suggestedFilename()).toMatch(/^access-export-.*\.zip$/)
    const files = await unzip(await download.path())
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { generatedAt: string; files: { name: string; sha256: string }[] }
    expect(manifest.files.map((f) => f.name)).toEqual(expect.arrayContaining(['profile.json', 'conversations.json', 'consents.csv', 'consent_records.json']))
    for (const file of manifest.files) expect(createHash('sha256').update(files.get(file.name)!).digest('hex'), file.name).toBe(file.sha256)
    expect(JSON.parse(files.get('consent_records.json')!.toString('utf8')).length).toBeGreaterThanOrEqual(2)
    expect(JSON.parse(files.get('profile.json')!.toString('utf8'))).toEqual([expect.objectContaining({ external_id: reader.external_id, email: reader.email })])
  })

  const cacheFile = cacheFilePath(supportServer.dataDir, cacheIdentity({ host: '127.0.0.1', port: 5432, database, user: SUPPORT }))
  /** Syncs the support console, then counts the erased person's conversations in its cache file. */
  const syncedConversations = async () => {
    expect((await callProcedure(support.page, supportServer, 'sync.now', {})).ok).toBe(true)
    return cachedConversations(cacheFile, erased.external_id)
  }

  await test.step('request an erasure as support; support cannot approve it; an admin in a second context does', async () => {
    // The support console has the person's conversations in its offline cache. (A sync reads below
    // the watermark: a transaction open elsewhere on the shared server can hold it back a while.)
    await expect.poll(() => syncedConversations(), { timeout: 120_000, intervals: [500, 1000, 2000] }).toBeGreaterThan(0)

    const matches = await lookUp(support.page, supportServer, erased.email)
    await matches.getByTestId('consent-new-request').click()
    const dialog = support.page.getByRole('dialog')
    await dialog.getByTestId('consent-request-type').selectOption('erasure')
    await dialog.getByTestId('consent-create-request').click()
    const row = requestRow(support.page, erased, 'erasure')
    await row.getByTestId('consent-verify').click()
    await expect(row).toHaveAttribute('data-status', 'identity_verified')
    await row.getByTestId('consent-start').click()
    await expect(row).toHaveAttribute('data-status', 'in_progress')
    await expect(row.getByTestId('consent-approve')).toBeDisabled()

    await admin.page.goto(`${adminServer.origin}/#/consent/requests/${erased.tenant_id}`)
    const adminRow = requestRow(admin.page, erased, 'erasure')
    const id = await adminRow.getAttribute('data-request-id')
    erasureRequestId = id!
    await adminRow.getByTestId('consent-approve').click()
    const confirm = admin.page.getByRole('dialog', { name: 'Approve this erasure' })
    await confirm.getByRole('button', { name: 'Approve erasure' }).click()
    await expect(admin.page.getByRole('status').filter({ hasText: /Erased: \d+ conversations/ })).toBeVisible()
    // Fulfilled, and the request no longer names the person (the subject row is gone).
    const done = admin.page.locator(`[data-request-id="${id}"]`)
    await expect(done).toHaveAttribute('data-status', 'fulfilled')
    await expect(done).not.toContainText(erased.external_id)
  })

  await test.step("the person's conversations are gone online and, after a sync, from the offline cache", async () => {
    const online = await db.query((c) => c.query('select count(*)::int as n from conversations where tenant_id = $1 and user_id = $2', [erased.tenant_id, erased.external_id]))
    expect(online.rows[0].n).toBe(0)
    const transcript = await callProcedure(support.page, supportServer, 'consent.history', { tenantId: erased.tenant_id, userId: erased.external_id })
    expect(transcript.value.records).toEqual([])
    await expect.poll(() => syncedConversations(), { timeout: 120_000, intervals: [500, 1000, 2000] }).toBe(0)
  })

  await test.step('the audit log shows the lookup, the export and the erasure, each with its actor', async () => {
    for (const [resourceType, action, actor, resourceId] of [
      // A lookup names no person: its row holds a keyed hash of the identity.
      ['data_subjects', 'LOOKUP', SUPPORT, ''],
      ['data_subject_requests', 'EXPORT', SUPPORT, accessRequestId],
      // The approval is the request's change to fulfilled, by the approving admin.
      // The grid reads INSERT, UPDATE and DELETE as Created, Changed and Deleted.
      ['data_subject_requests', 'Changed', ADMIN, erasureRequestId]
    ] as const) {
      await admin.page.goto(`${adminServer.origin}/#/audit`)
      const auditMain = admin.page.getByRole('main')
      await auditMain.getByLabel('Resource type').fill(resourceType)
      const grid = auditMain.getByRole('grid')
      const entry = grid.getByRole('row').filter({ hasText: action }).filter({ hasText: actor }).filter({ hasText: resourceId })
      await expect(entry.first()).toBeVisible()
    }
  })

  await test.step('the overdue request shows its red badge', async () => {
    const overdue = await db.query((c) =>
      c.query<{ tenant_id: string; id: string }>(`select tenant_id, id from data_subject_requests where closed_at is null and due_at < now() limit 1`)
    )
    const { tenant_id: tenant, id } = overdue.rows[0]!
    await admin.page.goto(`${adminServer.origin}/#/consent/requests/${tenant}`)
    const badge = admin.page.locator(`[data-request-id="${id}"]`).getByTestId('consent-days-left')
    await expect(badge).toHaveAttribute('data-overdue', 'true')
    await expect(badge).toHaveClass(/badge--danger/)
    await expect(badge).toContainText('overdue')
  })

  await test.step('axe: no serious or critical violation on every consent tab, in both themes', async () => {
    for (const theme of ['light', 'dark'] as const) {
      expect((await callProcedure(admin.page, adminServer, 'settings.update', { theme })).ok).toBe(true)
      for (const tab of ['lookup', 'people', 'coverage', 'requests', 'impact']) {
        await admin.page.goto(`${adminServer.origin}/#/consent/${tab}/${reader.tenant_id}`)
        await admin.page.reload()
        await expect(admin.page.getByRole('tabpanel')).toBeVisible()
        await expect(admin.page.getByRole('main').getByRole('status').filter({ hasText: 'Loading' })).toHaveCount(0)
        await expectNoSeriousAxeViolations(admin.page, `consent ${tab}, ${theme}`)
      }
    }
    await callProcedure(admin.page, adminServer, 'settings.update', { theme: 'system' })
  })

  await support.context.close()
  await admin.context.close()
})
