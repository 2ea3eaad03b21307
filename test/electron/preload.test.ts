import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS } from '../../src/main/electron/ipc-channels'
import { createPreloadApi, type IpcRendererLike } from '../../src/preload/api'
import type { ServerEvent } from '../../src/shared/events'

/** ipcRenderer's surface as an event emitter that records invokes. */
function fakeIpcRenderer() {
  const emitter = new EventEmitter()
  const invoked: unknown[][] = []
  const sent: string[] = []
  const ipc: IpcRendererLike & { emitter: EventEmitter } = {
    emitter,
    send: (channel) => sent.push(channel),
    invoke: async (...args) => {
      invoked.push(args)
      return { ok: true, value: null }
    },
    on: (channel, listener) => emitter.on(channel, listener),
    removeListener: (channel, listener) => emitter.removeListener(channel, listener)
  }
  return { ipc, invoked, sent }
}

describe('preload bridge (window.api)', () => {
  it('exposes named functions and the platform string only, never ipcRenderer', () => {
    const { ipc } = fakeIpcRenderer()
    const api = createPreloadApi(ipc, 'linux')
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent', 'platform'])
    expect(typeof api.call).toBe('function')
    expect(typeof api.onEvent).toBe('function')
    expect(api.platform).toBe('linux')
    for (const value of Object.values(api)) expect(value).not.toBe(ipc)
  })

  it('call always goes through the one RPC channel, whatever the page passes', async () => {
    const { ipc, invoked } = fakeIpcRenderer()
    const api = createPreloadApi(ipc, 'linux')
    await api.call('system.ping', {})
    await api.call(IPC_CHANNELS.event, { sneaky: true })
    expect(invoked).toEqual([
      [IPC_CHANNELS.rpc, 'system.ping', {}],
      [IPC_CHANNELS.rpc, IPC_CHANNELS.event, { sneaky: true }]
    ])
  })

  it('onEvent asks main to replay the jobs still running', () => {
    const { ipc, sent } = fakeIpcRenderer()
    createPreloadApi(ipc, 'linux').onEvent(() => {})
    expect(sent).toEqual([IPC_CHANNELS.replay])
  })

  it('onEvent hands over the payload only, and its unsubscribe really detaches', () => {
    const { ipc } = fakeIpcRenderer()
    const api = createPreloadApi(ipc, 'linux')
    const seen: unknown[][] = []
    const unsubscribe = api.onEvent((...args) => seen.push(args))
    const event: ServerEvent = { type: 'status', state: 'online' }
    ipc.emitter.emit(IPC_CHANNELS.event, { sender: ipc, ports: [] }, event)
    unsubscribe()
    ipc.emitter.emit(IPC_CHANNELS.event, { sender: ipc }, { type: 'status', state: 'offline' })
    expect(seen).toEqual([[event]])
    expect(ipc.emitter.listenerCount(IPC_CHANNELS.event)).toBe(0)
  })
})
