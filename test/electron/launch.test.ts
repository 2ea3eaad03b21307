import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const electronDist = fileURLToPath(new URL('../../node_modules/electron/dist', import.meta.url))
const mainEntry = fileURLToPath(new URL('../../out/main/index.js', import.meta.url))
const binaryPresent = existsSync(electronDist)
const title = binaryPresent
  ? 'the built shell in the real Electron binary'
  : 'the built shell in the real Electron binary — skipped: Electron binary absent (node_modules/electron/dist is missing; its release host cannot be reached here)'

/** _electron.launch needs the real binary: where it is absent the suite is skipped and says why. */
describe.runIf(binaryPresent)(title, () => {
  let app: ElectronApplication
  let page: Page
  let userData = ''

  beforeAll(async () => {
    userData = mkdtempSync(path.join(tmpdir(), 'avc-electron-'))
    if (!existsSync(mainEntry)) throw new Error('out/main/index.js is missing: run `npx electron-vite build` first')
    app = await electron.launch({ args: [mainEntry, '--data-dir', userData], env: { ...process.env, ELECTRON_RENDERER_URL: '' } })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  }, 120_000)

  afterAll(async () => {
    await app?.close()
    if (userData) rmSync(userData, { recursive: true, force: true })
  })

  it('the renderer has no Node and sees window.api with named functions only', async () => {
    const surface = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys((window as unknown as { api: object }).api).sort()
    }))
    expect(surface).toEqual({ require: 'undefined', process: 'undefined', api: ['call', 'onEvent', 'platform'] })
  })

  it('RPC over IPC answers, and refuses bad input with a typed error', async () => {
    const [ping, bad] = await page.evaluate(async () => {
      const api = (window as unknown as { api: { call(n: string, i: unknown): Promise<unknown> } }).api
      return Promise.all([api.call('system.ping', {}), api.call('system.ping', { x: 1 })])
    })
    expect(ping).toMatchObject({ ok: true, value: { ok: true } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })

  it('the window cannot navigate away or open new windows', async () => {
    const before = page.url()
    const opened = await page.evaluate(() => window.open('https://example.com/') === null)
    await page.evaluate(() => {
      window.location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(opened).toBe(true)
    expect(page.url()).toBe(before)
    expect(app.windows()).toHaveLength(1)
  })
})

