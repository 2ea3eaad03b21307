import { chromium } from '@playwright/test'
import { startConsoleServer } from './e2e/support/console-server'

const server = await startConsoleServer({ logName: 'shots.log', readyTimeoutMs: 120_000 })
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 } })
  page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)))
  await page.goto(server.url)
  await page.getByText('Online').first().waitFor({ timeout: 120_000 })
  await page.goto(`${server.origin}/#/executions`)
  await page.waitForTimeout(3000)
  await page.screenshot({ path: '/tmp/shots/exec-list.png' })
  const rows = page.getByRole('row')
  console.log('rows', await rows.count())
  await rows.nth(1).click()
  await page.waitForTimeout(2000)
  console.log('url', page.url())
  await page.screenshot({ path: '/tmp/shots/exec-detail.png' })
} finally {
  await browser.close()
  await server.stop()
}
