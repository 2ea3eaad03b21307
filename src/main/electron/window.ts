import type { BrowserWindowConstructorOptions, Rectangle } from 'electron'
import type { WindowBounds } from '../settings/schema'

export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W

/**
 * The console window. The renderer is treated as untrusted web content: no Node, its own
 * isolated world, the OS sandbox, no <webview>, no middle-click windows. Only the preload bridges
 * to the main process.
 * The constructor is passed in so tests can read the options without the Electron binary, and the
 * options stay a literal at `new BrowserWindow(...)`, where electronegativity can verify them.
 */
export function createConsoleWindow<W>(
  BrowserWindow: WindowConstructor<W>,
  paths: { preload: string; icon?: string },
  bounds: WindowBounds | null = null
): W {
  return new BrowserWindow({
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false, // shown on ready-to-show, so no blank frame flashes
    title: 'Agente Virtual IA Console',
    backgroundColor: '#111318',
    ...(paths.icon ? { icon: paths.icon } : {}),
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false
    }
  })
}

/** The size and place to restore next time: the normal (unmaximized) bounds plus the maximized flag. */
export function boundsToRemember(window: { getNormalBounds(): Rectangle; isMaximized(): boolean }): WindowBounds {
  const { x, y, width, height } = window.getNormalBounds()
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), maximized: window.isMaximized() }
}
