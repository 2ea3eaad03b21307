import { z } from 'zod'
import { mutation, query } from '../define'

export interface CacheStatus {
  profileId: string
  /** False until the first sync wrote a cache file for this connection. */
  exists: boolean
  lastSyncAt: string | null
  running: boolean
  /** Rows held per cached table (0 when there is no cache yet). */
  rows: { executions: number; auditLogs: number; usageRecords: number }
  lastError: string | null
}

export interface SyncSummary {
  tenants: number
  rows: number
  tombstones: number
  finishedAt: string
}

export interface TenantOption {
  id: string
  /** Null offline only for a cache not synced since it learned the directory (cache migration 7). */
  name: string | null
}

export const syncProcedures = {
  'sync.status': query(z.strictObject({})).returns<CacheStatus>(),
  'sync.now': mutation(z.strictObject({})).returns<SyncSummary>(),
  /** Tenants for the screens' tenant filter: the visible ones online, the cached ones offline. */
  'sync.tenants': query(z.strictObject({})).returns<{ source: 'server' | 'cache'; tenants: TenantOption[] }>()
} as const
