/**
 * The Electron shell: a thin layer that wires the plain-Node backend to one hardened window.
 * Every rule lives in src/main/electron/* and is tested there under plain Node.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBackend, type BackendHandle } from './backend'
import { appLocation } from './electron/app-location'
import { hardenSession, hardenWebContents } from './electron/hardening'
import { registerRpcIpc } from './electron/ipc'
import { saveDialogChooser } from './electron/save-dialog'
import { menuTemplate } from './electron/menu'
import { createExternalOpener } from './electron/open-external'
import { isTrustedSender } from './electron/trusted-sender'
import { boundsToRemember, createConsoleWindow } from './electron/window'
import { createDispatcher } from './rpc/dispatch'
import { createEventHub } from './rpc/events'
import { handlers } from './rpc/handlers'
import { openElectronSettingsStore } from './settings/electron'
import { DATA_DIR_NAME, parseShellOptions } from './shell-options'

const location = appLocation({
  rendererFile: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
  // Only an unpackaged build may follow electron-vite's dev server.
  devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
})
const openExternal = createExternalOpener((url) => shell.openExternal(url))

app.enableSandbox()
// One folder for both shells (browser mode uses the same), unless --data-dir names another;
// set before ready, so Chromium's own profile lands there too.
const dataDir = parseShellOptions(process.argv.slice(1), { strict: false }).dataDir
app.setPath('userData', dataDir ?? path.join(app.getPath('appData'), DATA_DIR_NAME))
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { isAppUrl: location.isAppUrl, openExternal }))

if (!app.requestSingleInstanceLock()) {
  // Two consoles on one data directory would fight over the embedded database and the cache.
  app.quit()
} else {
  start().catch((error: unknown) => {
    // E.g. no keychain: the console fails closed, and a desktop user must see why.
    const message = error instanceof Error ? error.message : String(error)
    console.error(`The console could not start: ${message}`)
    dialog.showErrorBox('The console could not start', message)
    app.exit(1)
  })
}

async function start(): Promise<void> {
  await app.whenReady()
  hardenSession(session.defaultSession)
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, packaged: app.isPackaged })))

  const hub = createEventHub()
  let consoleWindow: BrowserWindow | null = null
  const handle: BackendHandle = await createBackend({
    dataDir: app.getPath('userData'),
    onEvent: hub.emit,
    openSettings: openElectronSettingsStore,
    chooseSaveFile: saveDialogChooser(dialog, () => consoleWindow)
  })
  const dispatch = createDispatcher(handlers, () => ({ backend: handle.backend, emit: hub.emit }))

  const { settings } = handle.backend
  const savedBounds = settings.windowBounds()
  const window = createConsoleWindow(BrowserWindow, { preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)) }, savedBounds)
  consoleWindow = window
  if (savedBounds?.maximized) window.maximize()
  window.on('close', () => {
    try {
      settings.setWindowBounds(boundsToRemember(window))
    } catch (error) {
      console.error(`Window size not saved: ${error instanceof Error ? error.message : String(error)}`)
    }
  })
  const unregister = registerRpcIpc({
    ipcMain,
    dispatch,
    isTrusted: (event) => isTrustedSender(event, { contents: window.webContents, isAppUrl: location.isAppUrl }),
    events: hub,
    target: window.webContents
  })
  window.once('ready-to-show', () => window.show())
  window.on('closed', unregister)

  app.on('second-instance', () => {
    if (window.isDestroyed()) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  app.on('window-all-closed', () => app.quit())
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    handle.close().finally(() => app.exit(0))
  })

  await window.loadURL(location.url)
}
