/**
 * The shapes of the Electron objects we harden, narrowed to what is used, so the rules can be
 * tested under plain Node with tiny fakes. Real WebContents and Session objects satisfy them.
 */
export interface NavigationEvent {
  url: string
  preventDefault(): void
}

export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown
  on(event: 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface HardenableSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void
}

/** The console needs no camera, notifications, clipboard-read, HID, … : every request is refused. */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}

/**
 * Applied to every WebContents the app creates. The page may only ever show our own renderer;
 * new windows are never opened (an allowed https link goes to the system browser instead), and
 * <webview> cannot be attached even if the tag were re-enabled.
 */
export function hardenWebContents(
  contents: HardenableContents,
  rules: { isAppUrl(url: string): boolean; openExternal(url: string): Promise<boolean> }
): void {
  const denyForeign = (event: NavigationEvent) => {
    if (!rules.isAppUrl(event.url)) event.preventDefault()
  }
  contents.on('will-navigate', denyForeign)
  contents.on('will-frame-navigate', denyForeign)
  contents.on('will-redirect', denyForeign)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    void rules.openExternal(url).catch(() => false)
    return { action: 'deny' }
  })
}
