import type { CacheStatus } from '../../../shared/rpc/areas/sync'
import type { SyncSettings } from '../../../shared/rpc/areas/settings'
import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import type { InboxProvider } from '../../inbox/provider'

/** A sync is behind when it missed this many of its own intervals (and at least STALE_FLOOR_MINUTES). */
const MISSED_INTERVALS = 3
const STALE_FLOOR_MINUTES = 30

/**
 * A stalled offline sync: the last run failed, or, while online, the cache is far older than the
 * interval chosen in Settings says it should be. Offline a sync cannot run: the status bar says
 * that already. A sync the operator turned off is not stalled.
 */
export function stalledSync(cache: CacheStatus, sync: Pick<SyncSettings, 'enabled' | 'intervalMinutes'>, online: boolean, now: Date): InboxItem | null {
  if (!sync.enabled) return null
  const base = { area: 'settings', href: ['settings', 'sync'], tenant: null, at: now.toISOString() } as const
  if (cache.lastError !== null && !cache.running) {
    return { ...base, id: 'syncFailed', kind: 'syncFailed', severity: 'critical', href: [...base.href], values: cache.lastSyncAt ? { lastSyncAt: cache.lastSyncAt } : {} }
  }
  if (!online || !cache.lastSyncAt) return null
  const staleAfterMs = Math.max(MISSED_INTERVALS * sync.intervalMinutes, STALE_FLOOR_MINUTES) * 60_000
  if (now.getTime() - Date.parse(cache.lastSyncAt) < staleAfterMs) return null
  return { ...base, id: 'syncStalled', kind: 'syncStalled', severity: 'warning', href: [...base.href], values: { lastSyncAt: cache.lastSyncAt, intervalMinutes: sync.intervalMinutes } }
}

export const syncStalled: InboxProvider = {
  id: 'sync.stalled',
  area: 'settings',
  capability: 'area.settings',
  needsDatabase: false,
  async collect(backend, now) {
    const item = stalledSync(backend.offlineCache.status(), backend.settings.preferences().sync, backend.status().state === 'online', now)
    return item ? [item] : []
  }
}
