import type { ServerEvent } from '../../shared/events'
import { RpcError, type RpcResult } from '../../shared/rpc/errors'
import type { Dispatch } from '../rpc/dispatch'
import type { EventHub } from '../rpc/events'
import { IPC_CHANNELS } from './ipc-channels'
import type { FrameLike } from './trusted-sender'

export interface InvokeEvent {
  sender: unknown
  senderFrame: FrameLike | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
  on(channel: string, listener: (event: InvokeEvent) => void): unknown
  removeListener(channel: string, listener: (event: InvokeEvent) => void): unknown
}

export interface EventSink {
  isDestroyed(): boolean
  send(channel: string, event: ServerEvent): void
}

/**
 * The Electron transport of the procedure table: one invoke channel into the dispatcher, guarded
 * by the sender check on every call, one channel out for server events, and a replay request
 * (same check) for the page that starts listening mid-job. Returns the teardown.
 */
export function registerRpcIpc(options: {
  ipcMain: IpcMainLike
  dispatch: Dispatch
  isTrusted(event: InvokeEvent): boolean
  events: Pick<EventHub, 'subscribe' | 'inFlight'>
  target: EventSink
}): () => void {
  const { ipcMain, dispatch, isTrusted, events, target } = options
  ipcMain.handle(IPC_CHANNELS.rpc, async (event, name, input): Promise<RpcResult<unknown>> => {
    if (!isTrusted(event)) return { ok: false, error: new RpcError('UNAUTHORIZED', 'IPC from an untrusted frame').toJSON() }
    return dispatch(name, input)
  })
  const forward = (event: ServerEvent) => {
    if (!target.isDestroyed()) target.send(IPC_CHANNELS.event, event)
  }
  const replay = (event: InvokeEvent) => {
    if (isTrusted(event)) events.inFlight().forEach(forward)
  }
  ipcMain.on(IPC_CHANNELS.replay, replay)
  const unsubscribe = events.subscribe(forward)
  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.rpc)
    ipcMain.removeListener(IPC_CHANNELS.replay, replay)
    unsubscribe()
  }
}
