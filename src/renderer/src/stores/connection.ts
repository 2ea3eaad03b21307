import { create } from 'zustand'
import type { ConnectionStatus } from '../../../shared/rpc/areas/system'
import type { StatusEvent } from '../../../shared/events'
import { rpc } from '../rpc/transport'

interface ConnectionState {
  status: ConnectionStatus | null
  /** Set when the status itself could not be fetched (the backend is unreachable). */
  error: unknown
  refresh(): Promise<void>
  /** "Reconnect now": the main process tries at once; the status it answers is shown. */
  reconnect(): Promise<void>
  applyEvent(event: StatusEvent): void
}

export const useConnection = create<ConnectionState>((set, get) => ({
  status: null,
  error: null,
  async refresh() {
    try {
      set({ status: await rpc.call('system.status', {}), error: null })
    } catch (error) {
      set({ error })
    }
  },
  async reconnect() {
    set({ status: await rpc.call('system.reconnect', {}), error: null })
  },
  applyEvent(event) {
    // The event carries only the state; show it at once, then fetch operator, groups and sync time.
    const current = get().status
    if (current) set({ status: { ...current, state: event.state, ...(event.message ? { message: event.message } : {}) } })
    void get().refresh()
  }
}))

/** A status event can be missed (sent before the event stream opened), so while not online ask again now and then. */
export function watchConnection(intervalMs = 3000): void {
  void useConnection.getState().refresh()
  setInterval(() => {
    const { status, refresh } = useConnection.getState()
    if (status?.state !== 'online') void refresh()
  }, intervalMs)
}

/** Writes and live queries need the database: screens disable them with the reason when this is false. */
export function useIsOnline(): boolean {
  return useConnection((state) => state.status?.state === 'online')
}
