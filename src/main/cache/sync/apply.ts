import { availableParallelism } from 'node:os'
import type { Statement } from 'better-sqlite3'
import { scrubPurgedRows, type CacheDb } from '../db'
import { REBUILD_USAGE_SUMMARIES } from '../migrations'
import type { PageRow, StreamCursor, TenantDirectory, UsageBilling } from './pull'
import { pageColumns, SYNCED_TABLES, TABLE_SPECS, type SyncedTable } from './tables'

export const PURGE_STREAM = 'sync_purge_horizons'
const SCRUB_PENDING = 'scrub_pending'
/** The page cache while purge horizons are applied, in KiB (negative: a size, not a page count). */
const PURGE_CACHE_KIB = -256 * 1024
/** Meta key of a table being bulk-loaded; its value is the SQL of the indexes and triggers to re-create. */
const BULK_LOAD = (table: SyncedTable) => `bulk_load:${table}`
/** The external-content search index each table's triggers keep, rebuilt at once after a bulk load. */
const SEARCH_INDEX: Partial<Record<SyncedTable, string>> = { executions: 'execution_errors_fts', audit_logs: 'audit_fts' }
/** Meta key: the inputs the synced tenant set was last chosen from, and the visible count (see knownTenants). */
const TENANTS_CHOSEN_FROM = 'tenants_chosen_from'
/** Meta key: the server's digest of the tenant directory last written (see replaceTenantDirectory). */
const DIRECTORY_DIGEST = 'tenant_directory_digest'
/** Sorter helper threads while a bulk load's indexes are built. */
const BUILD_THREADS = Math.min(4, availableParallelism())
/** FTS5's in-memory term buffer during a search rebuild, and its default (the `hashsize` option). */
const REBUILD_HASH_BYTES = 64 * 1024 * 1024
const FTS5_DEFAULT_HASH_BYTES = 1024 * 1024
/**
 * The tenant_id of a stream's shared cursor: where every synced tenant without a cursor row of its
 * own stands. A read across every synced tenant ends by moving this one row, not a row per tenant
 * (at 10,000 tenants, rewriting and reading those rows cost about 60 ms of each sync). A tenant
 * that joins the synced set gets rows of its own at the start of every stream (replaceTenantSet),
 * so it never inherits a position it has not read from.
 */
export const EVERY_TENANT = '*'
/** Meta keys of a read of one stream across tenants: where it stands, and its tenants. */
const ACROSS = (stream: string) => `across:${stream}`
const ACROSS_TENANTS = (stream: string) => `across_tenants:${stream}`
/** Each table's deletions are a stream of their own, so tables can be synced (and reset) apart. */
export const tombstoneStream = (table: SyncedTable) => `sync_tombstones/${table}`

/**
 * The sync worker's writes to the cache. Every method is synchronous and runs one SQLite
 * transaction: nothing awaits while a transaction is open, and a page's rows commit together with
 * the cursor that says they are there, so a crash resumes exactly at the last committed page.
 */
export class CacheWriter {
  private readonly upserts: Record<SyncedTable, Statement>
  /** A cached row's columns in page order, sync_xid as text, then its rowid: what a newer version is compared with, and where it is. */
  private readonly current: Record<SyncedTable, Statement>
  /** UPDATE statements by table and the set of columns they write (see writeRow). */
  private readonly updates = new Map<string, Statement>()
  /** Tables being bulk-loaded (empty at the start of this load): no row to compare with, so the plain upsert. */
  private readonly loading = new Set<SyncedTable>()
  private readonly deleteById: Record<SyncedTable, Statement>
  private readonly putCursor: Statement
  private readonly getCursor: Statement
  private readonly getCursors: Statement
  private readonly putMeta: Statement
  private readonly getMeta: Statement
  private readonly deleteMeta: Statement
  /** One statement for the cursors of many tenants: [stream, xid, watermark, synced_at, tenants as JSON]. */
  private readonly putCursors: Statement
  /** A stream's tenants' own cursor rows, dropped when its shared cursor moves: [stream]. */
  private readonly deleteOwnCursors: Statement
  /** Start rows for tenants joining the synced set, in every stream that has a shared cursor: [synced_at, tenants as JSON]. */
  private readonly startJoiners: Statement

  constructor(private readonly db: CacheDb) {
    this.upserts = Object.fromEntries(SYNCED_TABLES.map((t) => [t, db.prepare(guardedUpsertSql(t))])) as Record<SyncedTable, Statement>
    this.current = Object.fromEntries(
      SYNCED_TABLES.map((t) => {
        const columns = pageColumns(TABLE_SPECS[t]).map((c) => (c === 'sync_xid' ? 'CAST(sync_xid AS TEXT)' : c))
        return [t, db.prepare(`SELECT ${columns.join(', ')}, rowid FROM ${t} WHERE id = ?`).raw(true)]
      })
    ) as Record<SyncedTable, Statement>
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
    // The tenant's own row first, else the stream's shared one.
    this.getCursor = db
      .prepare(`SELECT last_xid, last_id FROM sync_cursors WHERE table_name = ? AND tenant_id IN (?, '${EVERY_TENANT}') ORDER BY tenant_id = '${EVERY_TENANT}' LIMIT 1`)
      .safeIntegers(true)
    this.getCursors = db.prepare('SELECT tenant_id, last_xid, last_id FROM sync_cursors WHERE table_name = ?').safeIntegers(true)
    this.putMeta = db.prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    this.getMeta = db.prepare('SELECT value FROM sync_meta WHERE key = ?').pluck()
    this.deleteMeta = db.prepare('DELETE FROM sync_meta WHERE key = ?')
    this.putCursors = db.prepare(
      `INSERT INTO sync_cursors (table_name, tenant_id, last_xid, last_id, watermark, synced_at)
       SELECT ?, j.value, ?, NULL, ?, ? FROM json_each(?) j WHERE true
       ON CONFLICT (table_name, tenant_id) DO UPDATE SET last_xid = excluded.last_xid, last_id = NULL,
         watermark = excluded.watermark, synced_at = excluded.synced_at`
    )
    this.deleteOwnCursors = db.prepare(`DELETE FROM sync_cursors WHERE table_name = ? AND tenant_id <> '${EVERY_TENANT}'`)
    // A row a joining tenant already has is its real position (none is expected): kept.
    this.startJoiners = db.prepare(
      `INSERT INTO sync_cursors (table_name, tenant_id, last_xid, last_id, watermark, synced_at)
       SELECT s.table_name, j.value, 0, NULL, 0, ? FROM sync_cursors s, json_each(?) j WHERE s.tenant_id = '${EVERY_TENANT}'
       ON CONFLICT (table_name, tenant_id) DO NOTHING`
    )
  }

  cursor(stream: string, tenantId: string): StreamCursor {
    const row = this.getCursor.get(stream, tenantId) as { last_xid: bigint; last_id: string | null } | undefined
    return row ? { xid: row.last_xid, id: row.last_id } : { xid: 0n, id: null }
  }

  /**
   * Every tenant's cursor of `stream` from one read: a sync plans each stream for every tenant, and
   * one lookup per tenant and stream cost 266 ms a sync at 10,000 tenants. A tenant without a row
   * of its own stands at the shared cursor, or at the start when the stream has none. `everyTenant`
   * is that position when no tenant has a row of its own (after a sync, the usual case): the caller
   * then needs no lookup per tenant at all.
   */
  cursors(stream: string): { of: (tenantId: string) => StreamCursor; everyTenant: StreamCursor | null } {
    const rows = this.getCursors.all(stream) as { tenant_id: string; last_xid: bigint; last_id: string | null }[]
    const byTenant = new Map(rows.map((row) => [row.tenant_id, { xid: row.last_xid, id: row.last_id }]))
    const shared = byTenant.get(EVERY_TENANT) ?? { xid: 0n, id: null }
    const ownRows = rows.length - (byTenant.has(EVERY_TENANT) ? 1 : 0)
    return { of: (tenantId) => byTenant.get(tenantId) ?? shared, everyTenant: ownRows === 0 ? shared : null }
  }

  meta(key: string): string | null {
    return (this.getMeta.get(key) as string | undefined) ?? null
  }

  setMeta(key: string, value: string): void {
    this.putMeta.run(key, value)
  }

  /** Page rows are [sync_xid, id, ...columns] as pulled; the cursor is where the next page starts. */
  applyTablePage(table: SyncedTable, tenantId: string, rows: PageRow[], next: StreamCursor, watermark: bigint): void {
    this.db.transaction(() => {
      for (const row of rows) this.writeRow(table, row)
      this.saveCursor(table, tenantId, next, watermark)
    })()
  }

  /**
   * Where a read of one stream across many tenants stands, if a run left one unfinished: its
   * tenants, and the position after which the next page starts. Those tenants' own cursors stay
   * where they were until the read ends (see applyPageAcross).
   */
  acrossResume(stream: string): { tenants: string[]; cursor: StreamCursor } | null {
    const at = this.meta(ACROSS(stream))
    const tenants = this.meta(ACROSS_TENANTS(stream))
    if (at === null || tenants === null) return null
    const { xid, id } = JSON.parse(at) as { xid: string; id: string | null }
    return { tenants: JSON.parse(tenants) as string[], cursor: { xid: BigInt(xid), id } }
  }

  /** Starts a read of one stream across `tenants` from `from`, so an interruption resumes it there. */
  beginAcross(stream: string, tenants: readonly string[], from: StreamCursor): void {
    this.db.transaction(() => {
      this.setMeta(ACROSS_TENANTS(stream), JSON.stringify(tenants))
      this.setMeta(ACROSS(stream), JSON.stringify({ xid: from.xid.toString(), id: from.id }))
    })()
  }

  /**
   * A page read across `tenants` at once, committed with the position of the read (`next`), so an
   * interruption resumes after it, as a tenant's own stream does. The last page (`next` null) moves
   * the tenants' cursors to the watermark and ends the read: the stream's shared cursor when
   * `tenants` is every synced tenant (`everyTenant`), else a row per tenant in one statement. Rows
   * an interruption makes a run read twice are skipped by the guarded upsert; a tombstone deletes
   * nothing twice.
   */
  applyPageAcross(
    stream: { table: SyncedTable; tombstones: boolean },
    tenants: readonly string[],
    rows: PageRow[],
    next: StreamCursor | null,
    watermark: bigint,
    everyTenant: boolean
  ): void {
    const remove = this.deleteById[stream.table]
    const name = stream.tombstones ? tombstoneStream(stream.table) : stream.table
    this.db.transaction(() => {
      for (const row of rows) {
        if (stream.tombstones) remove.run(row[3], BigInt(row[0] as string))
        else this.writeRow(stream.table, row)
      }
      if (next) this.setMeta(ACROSS(name), JSON.stringify({ xid: next.xid.toString(), id: next.id }))
      else {
        this.moveCursors(name, tenants, watermark, everyTenant)
        this.deleteMeta.run(ACROSS(name))
        this.deleteMeta.run(ACROSS_TENANTS(name))
      }
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
   * Horizon rows are [sync_xid, table_name, horizon_column, before_ms], per tenant: archival moved
   * the tenant's executions whose horizon column is before before_ms, with their steps, without
   * tombstones. Only versions older than the archival transaction go: a row rewritten after it is
   * still live. Steps go first, found through their executions, which are still cached at that
   * point. An archival publishes a horizon per batch, table and tenant (4,000 for 100,000
   * executions of 100 tenants), and each one's DELETE walks the tenant's rows again: only the
   * horizons no other one of the tenant, table and column subsumes are applied (see skyline),
   * usually one, and they delete the same rows. Every tenant of `tenants` (every synced tenant) has
   * its horizon cursor at the watermark afterwards, the stream's shared cursor; one transaction.
   */
  applyPurgeHorizons(tenants: readonly string[], byTenant: ReadonlyMap<string, PageRow[]>, watermark: bigint): void {
    const statements = new Map<string, Statement>()
    const purge = (table: 'executions' | 'execution_steps', horizon: string) => {
      const key = `${table}:${horizon}`
      let statement = statements.get(key)
      if (!statement) {
        statement = this.db.prepare(
          table === 'executions'
            ? `DELETE FROM executions WHERE tenant_id = @tenantId AND ${horizon} < @beforeMs AND sync_xid < @version`
            : `DELETE FROM execution_steps WHERE tenant_id = @tenantId AND sync_xid < @version AND execution_id IN
                 (SELECT id FROM executions WHERE tenant_id = @tenantId AND ${horizon} < @beforeMs)`
        )
        statements.set(key, statement)
      }
      return statement
    }
    const apply = this.db.transaction(() => {
      for (const [tenantId, rows] of byTenant) {
        for (const table of ['execution_steps', 'executions'] as const) {
          const byColumn = new Map<string, Horizon[]>()
          for (const [xid, rowTable, column, beforeMs] of rows) {
            if (rowTable !== table) continue
            const horizon = purgeColumn(column as string)
            const list = byColumn.get(horizon) ?? []
            list.push({ beforeMs: Number(beforeMs), version: BigInt(xid as string) })
            byColumn.set(horizon, list)
          }
          for (const [horizon, list] of byColumn) {
            const statement = purge(table, horizon)
            for (const { beforeMs, version } of skyline(list)) statement.run({ tenantId, beforeMs, version })
          }
        }
      }
      this.moveCursors(PURGE_STREAM, tenants, watermark, true)
    })
    // The deletes of an archival revisit far more pages (rows, their indexes and search entries)
    // than the connection's page cache holds (16 MiB, better-sqlite3's default), and each miss is a
    // read of the file: after archiving 100,000 executions (bench/archival.ts) this took 23 s with
    // 2 MiB, 13 s with 64 MiB, 8 to 12 s with 256 MiB. Up to 256 MiB for this transaction only, in
    // the sync worker: SQLite fills it only as pages are read (a small purge stays small) and frees
    // what is above the limit when it is set back, so the initial sync and the idle process keep the
    // memory they had.
    const usualCache = this.db.pragma('cache_size', { simple: true }) as number
    if (byTenant.size > 0) this.db.pragma(`cache_size = ${PURGE_CACHE_KIB}`)
    try {
      apply()
    } finally {
      this.db.pragma(`cache_size = ${usualCache}`)
    }
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
        this.db.exec(REBUILD_USAGE_SUMMARIES)
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

  /**
   * The synced tenant set and how many tenants the server showed, as the last run chose them, if
   * that run chose them from `from` (the server's digest of the visible tenants, and what else the
   * choice depends on): then this run would choose the same, without reading 10,000 tenants.
   */
  knownTenants(from: string): { tenants: string[]; visibleCount: number } | null {
    const held = this.meta(TENANTS_CHOSEN_FROM)
    if (held === null) return null
    const recorded = JSON.parse(held) as { from: string; visibleCount: number }
    if (recorded.from !== from) return null
    return { tenants: JSON.parse(this.meta('tenants') ?? '[]') as string[], visibleCount: recorded.visibleCount }
  }

  /** Records what the synced tenant set (already written) was chosen from; see knownTenants. */
  rememberTenantsChosenFrom(from: string, visibleCount: number): void {
    this.setMeta(TENANTS_CHOSEN_FROM, JSON.stringify({ from, visibleCount }))
  }

  /** The server digest of the tenant directory last written (see fetchTenantDirectory); null when it must be written again. */
  directoryDigest(): string | null {
    return this.meta(DIRECTORY_DIGEST)
  }

  /**
   * The synced tenants' directory fields, replaced as a whole (a tenant the sync does not hold is
   * not kept), with the server's digest of what was read. Rows null: the server's digest matched
   * the one held, nothing to write.
   */
  replaceTenantDirectory(tenants: readonly string[], directory: TenantDirectory): void {
    if (directory.rows === null) return
    const held = new Set(tenants)
    const insert = this.db.prepare('INSERT INTO tenant_directory VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM tenant_directory').run()
      for (const row of directory.rows!) if (held.has(row[0] as string)) insert.run(row)
      this.setMeta(DIRECTORY_DIGEST, directory.digest)
    })()
  }

  /**
   * Forgets every row and cursor of tenants the operator may no longer see, and records the new
   * set. Their bytes must leave the disk too: the purge is marked for scrubIfPending.
   */
  replaceTenantSet(lost: readonly string[], tenants: readonly string[]): void {
    const before = new Set(JSON.parse(this.meta('tenants') ?? '[]') as string[])
    const joining = tenants.filter((id) => !before.has(id))
    this.db.transaction(() => {
      for (const tenantId of lost) {
        for (const table of [...SYNCED_TABLES, 'daily_usage_summary', 'usage_subscriptions', 'usage_limits']) this.db.prepare(`DELETE FROM ${table} WHERE tenant_id = ?`).run(tenantId)
        this.db.prepare('DELETE FROM usage_tenants WHERE id = ?').run(tenantId)
        this.db.prepare('DELETE FROM tenant_directory WHERE id = ?').run(tenantId)
        this.db.prepare('DELETE FROM sync_cursors WHERE tenant_id = ?').run(tenantId)
      }
      // A shared cursor stands where the tenants synced before have read up to, not these.
      this.startJoiners.run(Date.now(), JSON.stringify(joining))
      this.setMeta('tenants', JSON.stringify(tenants))
      // Until this run records what it chose the new set from (a crash in between: the next run reads the list).
      this.deleteMeta.run(TENANTS_CHOSEN_FROM)
      // The directory lost rows here: the next sync writes it again whatever the digest says.
      this.deleteMeta.run(DIRECTORY_DIGEST)
      if (lost.length > 0) {
        // The lost tenants' usage leaves the summaries (the platform's days included) with them.
        this.db.exec(REBUILD_USAGE_SUMMARIES)
        this.setMeta(SCRUB_PENDING, '1')
      }
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
      if (this.meta(BULK_LOAD(table)) !== null) {
        this.loading.add(table)
        return true
      }
      if (this.db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined) return false
      // Named objects only: the unique keys (autoindexes, no SQL) serve the upsert and stay.
      const objects = this.db
        .prepare(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY type, name`)
        .all(table) as { type: 'index' | 'trigger'; name: string; sql: string }[]
      for (const o of objects) this.db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name.replaceAll('"', '""')}"`)
      this.setMeta(BULK_LOAD(table), JSON.stringify(objects.map((o) => o.sql)))
      this.loading.add(table)
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
    const search = SEARCH_INDEX[table]
    // Each CREATE INDEX sorts every row: helper threads share the sorting (15-25 % less time for
    // the six audit indexes of a million rows). The search rebuild flushes its in-memory terms as
    // a segment every `hashsize` bytes (1 MiB by default) and then merges the segments: at 64 MiB
    // it writes far fewer (the million audit rows' rebuild: 13 s instead of 19.6 s). Both are
    // put back afterwards; the triggers' small writes never fill the default.
    this.db.pragma(`threads = ${BUILD_THREADS}`)
    try {
      this.db.transaction(() => {
        for (const sql of JSON.parse(saved) as string[]) this.db.exec(sql)
        if (search) {
          this.db.exec(`INSERT INTO ${search} (${search}, rank) VALUES ('hashsize', ${REBUILD_HASH_BYTES})`)
          this.db.exec(`INSERT INTO ${search} (${search}) VALUES ('rebuild')`)
          this.db.exec(`INSERT INTO ${search} (${search}, rank) VALUES ('hashsize', ${FTS5_DEFAULT_HASH_BYTES})`)
        }
        this.db.prepare('DELETE FROM sync_meta WHERE key = ?').run(BULK_LOAD(table))
      })()
    } finally {
      this.db.pragma('threads = 0')
    }
    this.loading.delete(table)
  }

  /** Drops a table's rows and cursors so the next pages refill it; records why (schema or window). */
  resetTable(table: SyncedTable, metaKey: string, metaValue: string): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM ${table}`).run()
      this.db.prepare('DELETE FROM sync_cursors WHERE table_name = ?').run(table)
      this.deleteMeta.run(ACROSS(table))
      this.deleteMeta.run(ACROSS_TENANTS(table))
      this.setMeta(metaKey, metaValue)
    })()
  }

  /** Rows that aged out of a table's window since the last sync. */
  pruneOlderThan(table: SyncedTable, cutoffMs: number): number {
    const spec = TABLE_SPECS[table]
    return this.db.prepare(`DELETE FROM ${table} WHERE ${spec.cacheTimeColumn} < ?`).run(cutoffMs).changes
  }

  /**
   * Writes one pulled version. During a bulk load, the guarded upsert (the table held nothing when
   * the load began). Otherwise the cached version is read first: the same or a newer one is
   * skipped, and a newer pulled version updates only the columns whose values differ. SQLite
   * rewrites an index only when its columns are in the SET list, and the search triggers fire only
   * on their columns (UPDATE OF), so a changed duration rewrites neither the screens' indexes nor
   * the search entries.
   */
  private writeRow(table: SyncedTable, row: PageRow): void {
    if (this.loading.has(table)) {
      row[0] = BigInt(row[0] as string)
      this.upserts[table].run(row)
      return
    }
    const cached = this.current[table].get(row[1]) as unknown[] | undefined
    const xid = BigInt(row[0] as string)
    if (cached === undefined) {
      row[0] = xid
      this.upserts[table].run(row)
      return
    }
    if (BigInt(cached[0] as string) >= xid) return
    const changed: number[] = []
    for (let i = 2; i < row.length; i++) if (cached[i] !== row[i]) changed.push(i)
    const key = `${table}:${changed.join(',')}`
    let update = this.updates.get(key)
    if (!update) {
      const columns = pageColumns(TABLE_SPECS[table])
      update = this.db.prepare(`UPDATE ${table} SET ${['sync_xid', ...changed.map((i) => columns[i]!)].map((c) => `${c} = ?`).join(', ')} WHERE rowid = ?`)
      this.updates.set(key, update)
    }
    // By the rowid just read: the id's index is not searched a second time.
    update.run(xid, ...changed.map((i) => row[i]), cached[row.length])
  }

  /** Every listed tenant of `stream` at the watermark: the shared cursor for every synced tenant, else a row each. */
  private moveCursors(stream: string, tenants: readonly string[], watermark: bigint, everyTenant: boolean): void {
    if (!everyTenant) {
      this.putCursors.run(stream, watermark, watermark, Date.now(), JSON.stringify(tenants))
      return
    }
    this.deleteOwnCursors.run(stream)
    this.putCursor.run(stream, EVERY_TENANT, watermark, null, watermark, Date.now())
  }

  private saveCursor(stream: string, tenantId: string, next: StreamCursor, watermark: bigint): void {
    this.putCursor.run(stream, tenantId, next.xid, next.id, watermark, Date.now())
  }
}

interface Horizon {
  beforeMs: number
  version: bigint
}

/**
 * The horizons no other one subsumes: (before, version) deletes the rows before `before` older than
 * `version`, a subset of what (before', version') deletes when before' >= before and version' >=
 * version. Sorted by before, newest first (ties: newest version first), a horizon adds rows only if
 * its version is above every version kept so far. A later archival with a shorter age (an earlier
 * before, a newer version) is kept beside the older one: neither covers the other.
 */
export function skyline(horizons: readonly Horizon[]): Horizon[] {
  const sorted = [...horizons].sort((a, b) => b.beforeMs - a.beforeMs || (b.version > a.version ? 1 : b.version < a.version ? -1 : 0))
  const kept: Horizon[] = []
  for (const horizon of sorted) {
    if (kept.length === 0 || horizon.version > kept[kept.length - 1]!.version) kept.push(horizon)
  }
  return kept
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
