import { create } from 'zustand'
import type { Inbox } from '../../../shared/rpc/areas/inbox'
import { rpc } from '../rpc/transport'
import { useConnection } from './connection'

interface InboxState {
  inbox: Inbox | null
  error: unknown
  loading: boolean
  refresh(): Promise<void>
}

export const useInbox = create<InboxState>((set) => ({
  inbox: null,
  error: null,
  loading: false,
  async refresh() {
    set({ loading: true })
    try {
      set({ inbox: await rpc.call('inbox.list', {}), error: null, loading: false })
    } catch (error) {
      set({ error, loading: false })
    }
  }
}))

/**
 * Keeps the inbox (and so the navigation's badges) current: at start, whenever the connection's
 * state or operator changes (another operator has another inbox), and every `intervalMs`.
 */
export function watchInbox(intervalMs = 60_000): void {
  const refresh = () => void useInbox.getState().refresh()
  let key = ''
  useConnection.subscribe((state) => {
    const next = `${state.status?.state ?? ''}|${state.status?.operator ?? ''}`
    if (next === key) return
    key = next
    refresh()
  })
  setInterval(refresh, intervalMs)
}

/** How many inbox items each area has; the home area's count is the total. */
export function useInboxCounts(): ReadonlyMap<string, number> | null {
  const inbox = useInbox((state) => state.inbox)
  if (!inbox) return null
  const counts = new Map<string, number>()
  for (const item of inbox.items) counts.set(item.area, (counts.get(item.area) ?? 0) + 1)
  return counts
}
