import { EventEmitter } from 'node:events'
import type { FrameLike } from '../../src/main/electron/trusted-sender'

/**
 * Thin stand-ins for the Electron binary's objects (it cannot run here): a WebContents is an event
 * emitter with a window-open handler slot, a frame is its four fields.
 */
export class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null
  readonly sent: { channel: string; payload: unknown }[] = []
  destroyed = false

  constructor(readonly mainFrame: FrameLike = frame('file:///app/out/renderer/index.html')) {
    super()
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }

  /** Emits a navigation-style event and tells whether a listener prevented it. */
  attempt(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    let prevented = false
    this.emit(event, { url, preventDefault: () => (prevented = true) })
    return prevented
  }
}

let nextRoutingId = 1
export function frame(url: string, options: { parent?: FrameLike | null; processId?: number; routingId?: number } = {}): FrameLike {
  return { url, parent: options.parent ?? null, processId: options.processId ?? 7, routingId: options.routingId ?? nextRoutingId++ }
}
