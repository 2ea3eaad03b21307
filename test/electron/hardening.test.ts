import { EventEmitter } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import type { BrowserWindowConstructorOptions } from 'electron'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { appLocation } from '../../src/main/electron/app-location'
import { hardenSession, hardenWebContents } from '../../src/main/electron/hardening'
import { registerRpcIpc, type InvokeEvent } from '../../src/main/electron/ipc'
import { IPC_CHANNELS } from '../../src/main/electron/ipc-channels'
import { menuTemplate } from '../../src/main/electron/menu'
import { createExternalOpener, isAllowedExternalUrl } from '../../src/main/electron/open-external'
import { isTrustedSender } from '../../src/main/electron/trusted-sender'
import { boundsToRemember, createConsoleWindow } from '../../src/main/electron/window'
import { createEventHub } from '../../src/main/rpc/events'
import { RENDERER_CSP } from '../../src/main/server/csp'
import type { RpcResult } from '../../src/shared/rpc/errors'
import { FakeContents, frame } from './fakes'

const RENDERER_FILE = '/app/out/renderer/index.html'
const location = appLocation({ rendererFile: RENDERER_FILE })
const APP_URL = location.url

/** Stands in for Electron's BrowserWindow class: it only keeps the options it was built with. */
class FakeBrowserWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}

/** The one external page the console links to (EXTERNAL_LINKS). */
const SSL_DOCS = 'https://www.postgresql.org/docs/current/libpq-ssl.html'

describe('window options', () => {
  const { options } = createConsoleWindow(FakeBrowserWindow, { preload: '/app/out/preload/index.cjs' })
  const prefs = options.webPreferences!

  it('isolate, sandbox and strip Node from the renderer', () => {
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
  })

  it('keep web security on and <webview> off', () => {
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.experimentalFeatures).toBe(false)
    expect(prefs.navigateOnDragDrop).toBe(false)
    expect(prefs.disableBlinkFeatures).toContain('Auxclick')
  })

  it('load the CommonJS preload, the only bridge', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
    expect(options.show).toBe(false)
  })

  it('reopen where the operator left the window, keeping the hardening', () => {
    const saved = { x: 40, y: 30, width: 1400, height: 900, maximized: true }
    const reopened = createConsoleWindow(FakeBrowserWindow, { preload: '/p.cjs' }, saved).options
    expect(reopened).toMatchObject({ x: 40, y: 30, width: 1400, height: 900 })
    expect(reopened.webPreferences).toEqual({ ...prefs, preload: '/p.cjs' })
    const remembered = boundsToRemember({ getNormalBounds: () => ({ x: 10.4, y: 20, width: 1000.6, height: 700 }), isMaximized: () => false })
    expect(remembered).toEqual({ x: 10, y: 20, width: 1001, height: 700, maximized: false })
  })
})

describe('app location', () => {
  it('file:// build: only our index.html is the app, with any hash or query', () => {
    expect(APP_URL).toBe('file:///app/out/renderer/index.html')
    expect(location.isAppUrl(`${APP_URL}#/tenants`)).toBe(true)
    expect(location.isAppUrl(`${APP_URL}?x=1`)).toBe(true)
    for (const url of ['file:///etc/passwd', 'file:///app/out/renderer/other.html', 'file://evil/app/out/renderer/index.html', 'https://example.com/', 'not a url', '']) {
      expect(location.isAppUrl(url), url).toBe(false)
    }
  })

  it('dev server: its origin only', () => {
    const dev = appLocation({ rendererFile: RENDERER_FILE, devServerUrl: 'http://localhost:5173/' })
    expect(dev.url).toBe('http://localhost:5173/')
    expect(dev.isAppUrl('http://localhost:5173/#/usage')).toBe(true)
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false)
    expect(dev.isAppUrl(APP_URL)).toBe(false)
  })
})

describe('web contents hardening', () => {
  function hardened() {
    const contents = new FakeContents()
    const opened: string[] = []
    const openExternal = createExternalOpener(async (url) => {
      opened.push(url)
    })
    hardenWebContents(contents, { isAppUrl: location.isAppUrl, openExternal })
    return { contents, opened }
  }

  it('denies navigation and redirects away from the app, in any frame', () => {
    const { contents } = hardened()
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
      expect(contents.attempt(event, 'https://evil.example/phish'), event).toBe(true)
      expect(contents.attempt(event, 'file:///etc/passwd'), event).toBe(true)
      expect(contents.attempt(event, `${APP_URL}#/tenants`), event).toBe(false)
    }
  })

  it('blocks <webview> attachment', () => {
    expect(hardened().contents.attempt('will-attach-webview')).toBe(true)
  })

  it('denies every new window; an allowlisted https link goes to the system browser', async () => {
    const { contents, opened } = hardened()
    for (const url of [SSL_DOCS, 'https://evil.example/', 'http://www.postgresql.org/', 'javascript:alert(1)', APP_URL]) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' })
    }
    await new Promise((resolve) => setImmediate(resolve))
    expect(opened).toEqual([SSL_DOCS])
  })
})

describe('session hardening', () => {
  it('refuses every permission request and check, and every device', () => {
    const recorded: Record<string, (...args: never[]) => unknown> = {}
    hardenSession({
      setPermissionRequestHandler: (handler) => (recorded.request = handler),
      setPermissionCheckHandler: (handler) => (recorded.check = handler),
      setDevicePermissionHandler: (handler) => (recorded.device = handler)
    })
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'unknown']) {
      const answers: boolean[] = []
      ;(recorded.request as (c: unknown, p: string, cb: (granted: boolean) => void) => void)({}, permission, (granted) => answers.push(granted))
      expect(answers, permission).toEqual([false])
      expect((recorded.check as (c: unknown, p: string) => boolean)({}, permission)).toBe(false)
    }
    expect((recorded.device as (d: unknown) => boolean)({ deviceType: 'usb' })).toBe(false)
  })
})

describe('shell.openExternal allowlist', () => {
  it('the exact pages the console links to, nothing else on their hosts', () => {
    expect(isAllowedExternalUrl(SSL_DOCS)).toBe(true)
    expect(isAllowedExternalUrl(`${SSL_DOCS}#LIBPQ-SSL-PROTECTION`)).toBe(true)
    for (const url of [
      // Any path on a host anyone can publish on (the old allowlist admitted all of github.com).
      'https://github.com/',
      'https://github.com/attacker/repo/releases/download/v1/payload.exe',
      'https://www.postgresql.org/',
      'https://www.postgresql.org/docs/current/libpq-ssl.html/../../../account/',
      'https://www.postgresql.org/docs/current/libpq-ssl.html.evil',
      `${SSL_DOCS}?next=https://evil.example/`,
      'http://www.postgresql.org/docs/current/libpq-ssl.html',
      'https://www.postgresql.org.evil.example/docs/current/libpq-ssl.html',
      'https://evil.example/?https://www.postgresql.org/docs/current/libpq-ssl.html',
      'https://user:pw@www.postgresql.org/docs/current/libpq-ssl.html',
      'https://www.postgresql.org:8443/docs/current/libpq-ssl.html',
      'file:///etc/passwd',
      'smb://share/x',
      'javascript:alert(1)',
      'not a url'
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })

  it('the opener never calls shell for a refused URL', async () => {
    const opened: string[] = []
    const open = createExternalOpener(async (url) => {
      opened.push(url)
    })
    expect(await open('ms-msdt:/id PCWDiagnostic')).toBe(false)
    expect(await open('https://github.com/a')).toBe(false)
    expect(await open(SSL_DOCS)).toBe(true)
    expect(opened).toEqual([SSL_DOCS])
  })
})

describe('IPC sender check', () => {
  const window = () => {
    const contents = new FakeContents(frame(APP_URL, { routingId: 1 }))
    return { contents, trusted: { contents, isAppUrl: location.isAppUrl } }
  }

  it('accepts the main frame of our window showing our renderer', () => {
    const { contents, trusted } = window()
    expect(isTrustedSender({ sender: contents, senderFrame: contents.mainFrame }, trusted)).toBe(true)
    expect(isTrustedSender({ sender: contents, senderFrame: frame(`${APP_URL}#/usage`, { routingId: 1 }) }, trusted)).toBe(true)
  })

  it('rejects a foreign frame: another URL, a subframe, another window, no frame', () => {
    const { contents, trusted } = window()
    const main = contents.mainFrame
    const cases = {
      'main frame navigated elsewhere': { sender: contents, senderFrame: frame('https://evil.example/', { routingId: 1 }) },
      'other local file': { sender: contents, senderFrame: frame('file:///tmp/evil.html', { routingId: 1 }) },
      'subframe with our URL': { sender: contents, senderFrame: frame(APP_URL, { parent: main, routingId: 2 }) },
      'subframe of another origin': { sender: contents, senderFrame: frame('https://ads.example/', { parent: main, routingId: 3 }) },
      'frame in another process': { sender: contents, senderFrame: frame(APP_URL, { processId: 99, routingId: 1 }) },
      'another web contents': { sender: new FakeContents(main), senderFrame: main },
      'frame already gone': { sender: contents, senderFrame: null }
    }
    for (const [name, event] of Object.entries(cases)) expect(isTrustedSender(event, trusted), name).toBe(false)
  })
})

describe('IPC adapter', () => {
  function adapter(trust: (event: InvokeEvent) => boolean) {
    const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>()
    const messages = new EventEmitter()
    const ipcMain = {
      handle: handlers.set.bind(handlers),
      removeHandler: (channel: string) => handlers.delete(channel),
      on: (channel: string, listener: (event: InvokeEvent) => void) => messages.on(channel, listener),
      removeListener: (channel: string, listener: (event: InvokeEvent) => void) => messages.removeListener(channel, listener)
    }
    const dispatched: unknown[][] = []
    const hub = createEventHub()
    const target = new FakeContents()
    const teardown = registerRpcIpc({
      ipcMain,
      dispatch: async (name, input) => {
        dispatched.push([name, input])
        return { ok: true, value: 'dispatched' }
      },
      isTrusted: trust,
      events: hub,
      target
    })
    const sender = { sender: target, senderFrame: target.mainFrame }
    const invoke = (...args: unknown[]) => handlers.get(IPC_CHANNELS.rpc)!(sender, ...args) as Promise<RpcResult<unknown>>
    const askReplay = () => messages.emit(IPC_CHANNELS.replay, sender)
    return { handlers, messages, dispatched, hub, target, teardown, invoke, askReplay }
  }

  it('checks the sender on every call: untrusted → UNAUTHORIZED, never dispatched', async () => {
    let trusted = false
    const { invoke, dispatched } = adapter(() => trusted)
    expect(await invoke('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(dispatched).toEqual([])
    trusted = true
    expect(await invoke('system.ping', {})).toEqual({ ok: true, value: 'dispatched' })
    trusted = false
    expect(await invoke('system.status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(dispatched).toEqual([['system.ping', {}]])
  })

  it('forwards server events to the window while it lives; teardown removes both channels', () => {
    const { hub, target, teardown, handlers, messages } = adapter(() => true)
    hub.emit({ type: 'status', state: 'online' })
    target.destroyed = true
    hub.emit({ type: 'status', state: 'offline' })
    expect(target.sent).toEqual([{ channel: IPC_CHANNELS.event, payload: { type: 'status', state: 'online' } }])
    teardown()
    expect(handlers.has(IPC_CHANNELS.rpc)).toBe(false)
    expect(messages.listenerCount(IPC_CHANNELS.replay)).toBe(0)
    target.destroyed = false
    hub.emit({ type: 'status', state: 'online' })
    expect(target.sent).toHaveLength(1)
  })

  it('replays the jobs still running to a page that starts listening, if the sender is trusted', () => {
    let trusted = false
    const { hub, target, askReplay } = adapter(() => trusted)
    const seeding = { type: 'progress', jobId: 'startup', kind: 'startup', label: 'Loading demo data', done: 5, total: 9 } as const
    hub.emit(seeding)
    target.sent.length = 0
    askReplay()
    expect(target.sent).toEqual([])
    trusted = true
    askReplay()
    expect(target.sent).toEqual([{ channel: IPC_CHANNELS.event, payload: seeding }])
  })
})

describe('Content-Security-Policy of the renderer', () => {
  const metaCsp = (html: string) => /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1]
  const source = fileURLToPath(new URL('../../src/renderer/index.html', import.meta.url))
  const built = fileURLToPath(new URL('../../out/renderer/index.html', import.meta.url))

  it('src/renderer/index.html carries exactly the strict policy', () => {
    expect(metaCsp(readFileSync(source, 'utf8'))).toBe(RENDERER_CSP)
  })

  it('the policy allows no inline or remote code', () => {
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:|data:.*script/)
    expect(RENDERER_CSP).toMatch(/object-src 'none'/)
    expect(RENDERER_CSP).toMatch(/base-uri 'none'/)
  })

  it.skipIf(!existsSync(built))('the built out/renderer/index.html keeps it (skipped: renderer not built)', () => {
    expect(metaCsp(readFileSync(built, 'utf8'))).toBe(RENDERER_CSP)
  })
})

describe('application menu', () => {
  const roles = (template: ReturnType<typeof menuTemplate>) => JSON.stringify(template)
  it('packaged builds have no developer tools or reload', () => {
    expect(roles(menuTemplate({ platform: 'linux', packaged: true }))).not.toMatch(/toggleDevTools|reload/)
    expect(roles(menuTemplate({ platform: 'linux', packaged: false }))).toMatch(/toggleDevTools/)
  })
})
