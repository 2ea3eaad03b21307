import type { IpcRendererEvent } from 'electron'
import type { ServerEvent } from '../shared/events'
import type { RpcResult } from '../shared/rpc/errors'
import type { ConsoleApi } from '../shared/rpc/client'
import { IPC_CHANNELS } from '../main/electron/ipc-channels'

/** The parts of ipcRenderer the bridge uses; the object itself never reaches the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  send(channel: string): void
  on(channel: string, listener: (event: IpcRendererEvent, payload: ServerEvent) => void): unknown
  removeListener(channel: string, listener: (event: IpcRendererEvent, payload: ServerEvent) => void): unknown
}

/**
 * window.api: two named functions and a string. Each function fixes its channel, so the page can
 * neither pick a channel nor get hold of ipcRenderer or the IPC event objects.
 */
export function createPreloadApi(ipc: IpcRendererLike, platform: string): ConsoleApi {
  return {
    call: (name, input) => ipc.invoke(IPC_CHANNELS.rpc, name, input) as Promise<RpcResult<unknown>>,
    onEvent(listener) {
      const forward = (_event: IpcRendererEvent, payload: ServerEvent) => listener(payload)
      ipc.on(IPC_CHANNELS.event, forward)
      ipc.send(IPC_CHANNELS.replay)
      return () => {
        ipc.removeListener(IPC_CHANNELS.event, forward)
      }
    },
    platform
  }
}
