import type { Statement } from 'better-sqlite3'
import { scrubPurgedRows, type CacheDb } from '../db'
import type { PageRow, StreamCursor, UsageBilling } from './pull'
import { pageColumns, SYNCED_TABLES, TABLE_SPECS, type SyncedTable } from './tables'

export const PURGE_STREAM = 'sync_purge_horizons'
const SCRUB_PENDING = 'scrub_pending'
/** Meta key of a table being bulk-loaded; its value is the SQL of the indexes and triggers to re-create. */
const BULK_LOAD = (table: SyncedTable) => `bulk_load:${table}`
/** The external-content search index each table's triggers keep, rebuilt at once after a bulk load. */
const SEARCH_INDEX: Partial<Record<SyncedTable, string>> = { executions: 'execution_errors_fts', audit_logs: 'audit_fts' }
/** Each table's deletions are a stream of their own, so tables can be synced (and reset) apart. */
export const tombstoneStream = (table: SyncedTable) => `sync_tombstones/${table}`

/**
 * The sync worker's writes to the cache. Every method is synchronous and runs one SQLite
 * transaction: nothing awaits while a transaction is open, and a page's rows commit together with
 * the cursor that says they are there, so a crash resumes exactly at the last committed page.
 */
export class CacheWriter {
  private readonly upserts: Record<SyncedTable, Statement>
  private readonly deleteById: Record<SyncedTable, Statement>
  private readonly putCursor: Statement
  private readonly getCursor: Statement
  private readonly putMeta: Statement
  private readonly getMeta: Statement

  constructor(private readonly db: CacheDb) {
    this.upserts = Object.fromEntries(SYNCED_TABLES.map((t) => [t, db.prepare(guardedUpsertSql(t))])) as Record<SyncedTable, Statement>
    // A tombstone removes the versions it saw, never a newer one (an id written again later).
    this.deleteById = Object.fromEntries(SYNCED_TABLES.map((t) => [t, db.prepare(`DELETE FROM ${t} WHERE id = ? AND sync_xid <= ?`)])) as Record<
      SyncedTable,
      Statement
    >
    this.putCursor = db.prepare(
      `INSERT INTO sync_cursors (table_name, tenant_id, last_xid, last_id, watermark, synced_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (table_name, tenant_id) DO UPDATE SET last_xid = excluded.last_xid, last_id = excluded.last_id,
         watermark = excluded.watermark, synced_at = excluded.synced_at`
    )
    this.getCursor = db.prepare('SELECT last_xid, last_id FROM sync_cursors WHERE table_name = ? AND tenant_id = ?').safeIntegers(true)
    this.putMeta = db.prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    this.getMeta = db.prepare('SELECT value FROM sync_meta WHERE key = ?').pluck()
  }

  cursor(stream: string, tenantId: string): StreamCursor {
    const row = this.getCursor.get(stream, tenantId) as { last_xid: bigint; last_id: string | null } | undefined
    return row ? { xid: row.last_xid, id: row.last_id } : { xid: 0n, id: null }
  }

  meta(key: string): string | null {
    return (this.getMeta.get(key) as string | undefined) ?? null
  }

  setMeta(key: string, value: string): void {
    this.putMeta.run(key, value)
  }

  /** Page rows are [sync_xid, id, ...columns] as pulled; the cursor is where the next page starts. */
  applyTablePage(table: SyncedTable, tenantId: string, rows: PageRow[], next: StreamCursor, watermark: bigint): void {
    const upsert = this.upserts[table]
    this.db.transaction(() => {
      for (const row of rows) {
        row[0] = BigInt(row[0] as string)
        upsert.run(row)
      }
      this.saveCursor(table, tenantId, next, watermark)
    })()
  }

  /**
   * A page read across `tenants` at once. Their cursors stay where they were until the last page,
   * which moves them all to the watermark in its transaction: an interruption re-reads the pages
   * since (the guarded upsert skips versions already held, a tombstone deletes nothing twice).
   */
  applyPageAcross(stream: { table: SyncedTable; tombstones: boolean }, tenants: readonly string[], rows: PageRow[], last: boolean, watermark: bigint): void {
    const write = stream.tombstones ? this.deleteById[stream.table] : this.upserts[stream.table]
    const name = stream.tombstones ? tombstoneStream(stream.table) : stream.table
    this.db.transaction(() => {
      for (const row of rows) {
        if (stream.tombstones) write.run(row[3], BigInt(row[0] as string))
        else {
          row[0] = BigInt(row[0] as string)
          write.run(row)
        }
      }
      if (last) for (const tenantId of tenants) this.saveCursor(name, tenantId, { xid: watermark, id: null }, watermark)
    })()
  }

  /** Tombstone rows are [sync_xid, id, table_name, row_id], all of `table`. */
  applyTombstones(table: SyncedTable, tenantId: string, rows: PageRow[], next: StreamCursor, watermark: bigint): void {
    const remove = this.deleteById[table]
    this.db.transaction(() => {
      for (const [xid, , , rowId] of rows) remove.run(rowId, BigInt(xid as string))
      this.saveCursor(tombstoneStream(table), tenantId, next, watermark)
    })()
  }

  /**
   * Horizon rows are [sync_xid, table_name, horizon_column, before_ms]: archival moved the tenant's
   * executions whose horizon column is before before_ms, with their steps, without tombstones.
   * Only versions older than the archival transaction go: a row rewritten after it is still live.
   * Steps go first, found through their executions, which are still cached at that point.
   */
  applyPurgeHorizons(tenantId: string, rows: PageRow[], watermark: bigint): void {
    const ordered = [...rows].sort((a, b) => (a[1] === 'execution_steps' ? -1 : 0) - (b[1] === 'execution_steps' ? -1 : 0))
    this.db.transaction(() => {
      for (const [xid, table, column, beforeMs] of ordered) {
        const horizon = purgeColumn(column as string)
        const version = BigInt(xid as string)
        if (table === 'executions') {
          this.db.prepare(`DELETE FROM executions WHERE tenant_id = ? AND ${horizon} < ? AND sync_xid < ?`).run(tenantId, beforeMs, version)
        } else if (table === 'execution_steps') {
          this.db
            .prepare(
              `DELETE FROM execution_steps WHERE tenant_id = ? AND sync_xid < ? AND execution_id IN
                 (SELECT id FROM executions WHERE tenant_id = ? AND ${horizon} < ?)`
            )
            .run(tenantId, version, tenantId, beforeMs)
        }
      }
      this.saveCursor(PURGE_STREAM, tenantId, { xid: watermark, id: null }, watermark)
    })()
  }

  /**
   * The usage screens' offline data has no change cursor: it is replaced as a whole, in one
   * transaction, for the synced tenants only (a tenant the sync does not hold is not kept here
   * either). Rollup rows stay as they are when no fold ran since the last sync (`billing.rollups` null).
   */
  replaceUsageBilling(tenants: readonly string[], billing: UsageBilling, windowKey: string): void {
    const held = new Set(tenants)
    const ofHeld = (rows: PageRow[], tenantColumn: number) => rows.filter((row) => held.has(row[tenantColumn] as string))
    const fill = (table: string, rows: PageRow[]) => {
      this.db.prepare(`DELETE FROM ${table}`).run()
      if (rows.length === 0) return
      const insert = this.db.prepare(`INSERT INTO ${table} VALUES (${rows[0]!.map(() => '?').join(', ')})`)
      for (const row of rows) insert.run(row)
    }
    this.db.transaction(() => {
      if (billing.rollups) {
        fill('daily_usage_summary', ofHeld(billing.rollups, 0))
        this.setMeta('usage_folded_at', `${windowKey}|${billing.foldedAt ?? ''}`)
      }
      fill('usage_tenants', ofHeld(billing.tenants, 0))
      fill('usage_subscriptions', ofHeld(billing.subscriptions, 1))
      fill('usage_price_book', billing.priceBook)
      fill('usage_unit_prices', billing.unitPrices)
      fill('usage_limits', ofHeld(billing.limits, 0))
      fill('usage_currencies', billing.currencies)
      this.setMeta('usage_complete_up_to', billing.completeUpTo ?? '')
    })()
  }

  /** The synced tenants' directory fields, replaced as a whole (a tenant the sync does not hold is not kept). */
  replaceTenantDirectory(tenants: readonly string[], rows: PageRow[]): void {
    const held = new Set(tenants)
    const insert = this.db.prepare('INSERT INTO tenant_directory VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM tenant_directory').run()
      for (const row of rows) if (held.has(row[0] as string)) insert.run(row)
    })()
  }

  /**
   * Forgets every row and cursor of tenants the operator may no longer see, and records the new
   * set. Their bytes must leave the disk too: the purge is marked for scrubIfPending.
   */
  replaceTenantSet(lost: readonly string[], tenants: readonly string[]): void {
    this.db.transaction(() => {
      for (const tenantId of lost) {
        for (const table of [...SYNCED_TABLES, 'daily_usage_summary', 'usage_subscriptions', 'usage_limits']) this.db.prepare(`DELETE FROM ${table} WHERE tenant_id = ?`).run(tenantId)
        this.db.prepare('DELETE FROM usage_tenants WHERE id = ?').run(tenantId)
        this.db.prepare('DELETE FROM tenant_directory WHERE id = ?').run(tenantId)
        this.db.prepare('DELETE FROM sync_cursors WHERE tenant_id = ?').run(tenantId)
      }
      this.setMeta('tenants', JSON.stringify(tenants))
      if (lost.length > 0) this.setMeta(SCRUB_PENDING, '1')
    })()
  }

  /**
   * Takes purged rows' bytes off the disk (scrubPurgedRows). A reader that kept the WAL from being
   * truncated leaves the mark in place, and the next sync tries again.
   */
  scrubIfPending(): void {
    if (this.meta(SCRUB_PENDING) === null) return
    if (scrubPurgedRows(this.db)) this.db.prepare('DELETE FROM sync_meta WHERE key = ?').run(SCRUB_PENDING)
  }

  /**
   * Initial sync of an empty table: load first, index after. Its secondary indexes and its
   * triggers (the search index's) are dropped and their SQL kept in sync_meta, in one transaction;
   * pages then write only the rows and the unique key. Returns whether the table is in bulk mode
   * (also when a previous run left it so: an interrupted initial sync resumes the same way).
   */
  beginBulkLoad(table: SyncedTable): boolean {
    return this.db.transaction(() => {
      if (this.meta(BULK_LOAD(table)) !== null) return true
      if (this.db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined) return false
      // Named objects only: the unique keys (autoindexes, no SQL) serve the upsert and stay.
      const objects = this.db
        .prepare(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY type, name`)
        .all(table) as { type: 'index' | 'trigger'; name: string; sql: string }[]
      for (const o of objects) this.db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name.replaceAll('"', '""')}"`)
      this.setMeta(BULK_LOAD(table), JSON.stringify(objects.map((o) => o.sql)))
      return true
    })()
  }

  /**
   * Re-creates what beginBulkLoad dropped and rebuilds the search index from the rows, in one
   * transaction: interrupted, it leaves the table in bulk mode and the next run finishes it.
   */
  finishBulkLoad(table: SyncedTable): void {
    const saved = this.meta(BULK_LOAD(table))
    if (saved === null) return
    this.db.transaction(() => {
      for (const sql of JSON.parse(saved) as string[]) this.db.exec(sql)
      const search = SEARCH_INDEX[table]
      if (search) this.db.exec(`INSERT INTO ${search} (${search}) VALUES ('rebuild')`)
      this.db.prepare('DELETE FROM sync_meta WHERE key = ?').run(BULK_LOAD(table))
    })()
  }

  /** Drops a table's rows and cursors so the next pages refill it; records why (schema or window). */
  resetTable(table: SyncedTable, metaKey: string, metaValue: string): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM ${table}`).run()
      this.db.prepare('DELETE FROM sync_cursors WHERE table_name = ?').run(table)
      this.setMeta(metaKey, metaValue)
    })()
  }

  /** Rows that aged out of a table's window since the last sync. */
  pruneOlderThan(table: SyncedTable, cutoffMs: number): number {
    const spec = TABLE_SPECS[table]
    return this.db.prepare(`DELETE FROM ${table} WHERE ${spec.cacheTimeColumn} < ?`).run(cutoffMs).changes
  }

  private saveCursor(stream: string, tenantId: string, next: StreamCursor, watermark: bigint): void {
    this.putCursor.run(stream, tenantId, next.xid, next.id, watermark, Date.now())
  }
}

/** The horizon column comes from the server: it names an executions time column or nothing. */
function purgeColumn(column: string): string {
  if (column === 'finished_at' || column === 'started_at' || column === 'created_at') return column
  throw new Error(`Unknown purge horizon column: ${column}`)
}

/**
 * Only a newer version replaces a cached row. A version with the same sync_xid is the one already
 * cached (the sync reads committed versions only, and a transaction's last write is the one that
 * commits), so a repeated page after a crash or a resync of a window skips it: no row, index or
 * search entry is rewritten.
 */
function guardedUpsertSql(table: SyncedTable): string {
  const columns = pageColumns(TABLE_SPECS[table])
  const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`)
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
          ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} WHERE excluded.sync_xid > ${table}.sync_xid`
}
