import type { CacheDb } from './db'

/** When the cache was last completed, or null if it never was. */
export function lastSyncedAt(db: CacheDb): string | null {
  const value = db.prepare("SELECT value FROM sync_meta WHERE key = 'last_sync_at'").pluck().get() as string | undefined
  return value === undefined ? null : new Date(Number(value)).toISOString()
}
