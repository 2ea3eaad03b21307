import { randomBytes } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import pg from 'pg'
import { migrate } from '../src/main/db/migrate'
import { createOperator } from '../src/main/db/operators'
import { startEmbeddedServer, type EmbeddedServer } from '../test/helpers/embedded-pg'
import { startConsoleServer, type ConsoleServer } from './support/console-server'

/*
 * Issue 15, honest connection status with real outages: a console against a PostgreSQL this test
 * controls. Stopping the server turns the status offline within 10 s and starting it again brings
 * the console back without a click; so does an outage where the database refused new sessions
 * (ALLOW_CONNECTIONS false) and every session was terminated.
 */
const DATABASE = 'avia_connection_e2e'

function adminConfig(server: EmbeddedServer, database: string) {
  return { host: server.host, port: server.port, user: server.adminUser, password: server.adminPassword, database, ssl: false as const }
}

async function prepareDatabase(server: EmbeddedServer): Promise<string> {
  const bootstrap = new pg.Client(adminConfig(server, 'postgres'))
  await bootstrap.connect()
  await bootstrap.query(`create database ${DATABASE}`)
  await bootstrap.end()
  await migrate({ ...adminConfig(server, DATABASE), sslMode: 'disable' })
  const client = new pg.Client(adminConfig(server, DATABASE))
  await client.connect()
  try {
    const operator = `avia_conn_${randomBytes(3).toString('hex')}`
    const password = randomBytes(18).toString('base64url')
    await createOperator(client, { name: operator, groups: ['support'], password })
    return `postgresql://${operator}:${password}@${server.host}:${server.port}/${DATABASE}?sslmode=disable`
  } finally {
    await client.end()
  }
}

const status = (page: Page) => page.getByTestId('connection-status')
const reconnect = (page: Page) => page.getByRole('button', { name: 'Reconnect now' })

/** Milliseconds until the status shows `state` (fails after `withinMs`). */
async function timeUntil(page: Page, state: string, withinMs: number): Promise<number> {
  const started = Date.now()
  await expect(status(page)).toHaveAttribute('data-state', state, { timeout: withinMs })
  return Date.now() - started
}

test('connection status: offline within seconds of an outage, back by itself after it, and "Reconnect now"', async ({ page }) => {
  test.setTimeout(300_000)
  const server = await startEmbeddedServer()
  let consoleServer: ConsoleServer | null = null
  try {
    const url = await prepareDatabase(server)
    consoleServer = await startConsoleServer({ env: { DATABASE_URL: url, CONSOLE_RECONNECT_MAX_MS: '3000' }, logName: 'e2e-connection-console.log' })
    await page.goto(consoleServer.url)
    await expect(status(page)).toHaveAttribute('data-state', 'online', { timeout: 60_000 })
    await expect(reconnect(page)).toHaveCount(0)

    await test.step('the server stops: offline within 10 s, with "Reconnect now"', async () => {
      await server.pause()
      const tookMs = await timeUntil(page, 'offline', 10_000)
      test.info().annotations.push({ type: 'offline after the server stopped (ms)', description: String(tookMs) })
      await expect(reconnect(page)).toBeVisible()
      // The home says what it could not check, rather than an empty inbox that looks like "all is well".
      await expect(page.getByTestId('inbox-gaps')).toContainText('Not checked while offline: Consent, Credentials, Executions, Marketplace, Tenants, and Usage.', { timeout: 15_000 })
      // While the server is down, "Reconnect now" tries and honestly stays offline.
      await reconnect(page).click()
      await expect(status(page)).toHaveAttribute('data-state', 'offline', { timeout: 15_000 })
    })

    await test.step('the server starts again: online without a click', async () => {
      await server.resume()
      const tookMs = await timeUntil(page, 'online', 30_000)
      test.info().annotations.push({ type: 'online after the server started (ms)', description: String(tookMs) })
      await expect(reconnect(page)).toHaveCount(0)
    })

    const admin = new pg.Client(adminConfig(server, 'postgres'))
    await admin.connect()
    try {
      await test.step('the database refuses new sessions and every session is terminated: offline within 10 s', async () => {
        await admin.query(`alter database ${DATABASE} allow_connections false`)
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [DATABASE])
        const tookMs = await timeUntil(page, 'offline', 10_000)
        test.info().annotations.push({ type: 'offline after sessions were terminated (ms)', description: String(tookMs) })
        await expect(status(page)).not.toHaveAttribute('title', /Unexpected database error/)
      })

      await test.step('sessions are allowed again: online without a click', async () => {
        // Long enough for several refused attempts: the console keeps retrying.
        await page.waitForTimeout(4_000)
        await expect(status(page)).toHaveAttribute('data-state', 'offline')
        await admin.query(`alter database ${DATABASE} allow_connections true`)
        await timeUntil(page, 'online', 30_000)
      })
    } finally {
      await admin.end()
    }
  } finally {
    await consoleServer?.stop()
    await server.stop()
  }
})
