/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string
  readonly processId: number
  readonly routingId: number
  readonly parent: FrameLike | null
}

export interface SenderLike {
  readonly mainFrame: FrameLike
}

/**
 * Whether an IPC message may reach the backend: it must come from the main frame (not a subframe)
 * of the console's own window, and that frame must currently show our renderer (not a page it was
 * somehow navigated to). Like GitHub Desktop's trusted-ipc-sender, but down to the frame.
 */
export function isTrustedSender(
  event: { sender: unknown; senderFrame: FrameLike | null },
  window: { contents: SenderLike; isAppUrl(url: string): boolean }
): boolean {
  const frame = event.senderFrame
  if (frame === null || event.sender !== window.contents) return false
  const main = window.contents.mainFrame
  const isMainFrame = frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId
  return isMainFrame && window.isAppUrl(frame.url)
}
