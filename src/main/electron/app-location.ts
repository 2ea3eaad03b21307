import { pathToFileURL } from 'node:url'

/**
 * Where the renderer comes from: the built index.html (file://) or, in development, the
 * electron-vite dev server. Everything else is foreign: navigation to it is denied and a frame
 * showing it may not call the backend.
 */
export interface AppLocation {
  /** What to hand to loadURL. */
  url: string
  isAppUrl(url: string): boolean
}

export function appLocation(options: { rendererFile: string; devServerUrl?: string }): AppLocation {
  if (options.devServerUrl) {
    const origin = new URL(options.devServerUrl).origin
    return { url: options.devServerUrl, isAppUrl: (url) => parse(url)?.origin === origin }
  }
  const file = pathToFileURL(options.rendererFile)
  return {
    url: file.href,
    // Hash and query belong to the SPA; host and path must be exactly our file.
    isAppUrl: (url) => {
      const parsed = parse(url)
      return parsed !== null && parsed.protocol === 'file:' && parsed.host === file.host && parsed.pathname === file.pathname
    }
  }
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}
