import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { consoleUrl, openConsole } from './support/console'
import { launchToken } from './support/console-server'

// Another program on this machine, listening on another 127.0.0.1 port: it records every request
// the browser sends it. Cookies ignore ports, so a token kept in a cookie would reach it.
let neighbour: Server
const seen: { url: string; headers: IncomingHttpHeaders }[] = []
test.beforeAll(async () => {
  neighbour = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>neighbour</title><p>another local program</p>')
  })
  await new Promise<void>((resolve) => neighbour.listen(0, '127.0.0.1', resolve))
})
test.afterAll(() => new Promise<void>((resolve) => neighbour.close(() => resolve())))

test('the launch token stays with the console: not in the address, not in a cookie, not at another local port', async ({ page, context }) => {
  const token = launchToken(consoleUrl())
  const neighbourOrigin = `http://127.0.0.1:${(neighbour.address() as AddressInfo).port}`

  await test.step('the console opens from the launch link, online, and the token leaves the address', async () => {
    await openConsole(page)
    expect(page.url()).not.toContain(token)
    expect(page.url()).not.toContain('token=')
    expect(await context.cookies()).toEqual([])
  })

  await test.step('a reload of the tab keeps the session', async () => {
    await page.reload()
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 60_000 })
  })

  await test.step('a page of another local program receives nothing of the token', async () => {
    await page.goto(`${neighbourOrigin}/page`)
    await page.evaluate(() => fetch('/xhr', { credentials: 'include' }).then((r) => r.text()))
    expect(seen.map((r) => r.url)).toEqual(expect.arrayContaining(['/page', '/xhr']))
    for (const request of seen) {
      expect(request.headers.cookie).toBeUndefined()
      expect(JSON.stringify(request)).not.toContain(token)
    }
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain(token)
  })

  await test.step('going back does not bring the tokened address back', async () => {
    await page.goBack()
    expect(page.url()).not.toContain(token)
  })
})
