import type { Database } from '../../db/types'
import type { CacheDb } from '../db'
import { CacheWriter, PURGE_STREAM, tombstoneStream } from './apply'
import {
  countPendingAcross,
  fetchUsageBilling,
  fetchPurgeHorizonsAcross,
  fetchSchemaFingerprints,
  fetchSyncAccess,
  fetchTablePage,
  fetchTombstonePage,
  fetchTenantDirectory,
  fetchVisibleTenants,
  fetchVisibleTenantsDigest,
  readWatermark,
  streamAcross,
  type PageRow,
  type PendingProbe,
  type StreamCursor,
  type SyncAccess,
  type VisibleTenant
} from './pull'
import { pageColumns, SYNCED_TABLES, TABLE_SPECS, type SyncedTable } from './tables'

const DAY_MS = 86_400_000

export interface SyncScope {
  /** Sync the tenants the operator is assigned to (all of them for an all-tenants admin; for finance, those its billing policy shows). */
  assigned: boolean
  /** Tenants synced in addition (still only while the server shows them, e.g. break-glass access). */
  pinned: string[]
}

export interface SyncOptions {
  /** Days kept per table; a missing table keeps everything. */
  windowDays?: Partial<Record<SyncedTable, number>>
  /** Days of daily usage rollups kept (default 400: a year-on-year comparison still works offline). */
  rollupDays?: number
  scope?: SyncScope
  /** Only these tables are pulled this run (the others keep what they hold); default: every table the role may read. */
  tables?: SyncedTable[]
  pageSize?: number
}

export interface SyncProgress {
  phase: 'planning' | 'pulling' | 'finished'
  /** The stream whose page was just committed. */
  table?: string
  tenantId?: string
  /** Rows applied so far in this run, out of `total` (known once planning ends). */
  done: number
  total: number | null
}

export interface SyncReport {
  tenants: number
  rows: number
  tombstones: number
  purgedTenants: string[]
  resetTables: SyncedTable[]
  finishedAt: number
}

/** Raised between pages when stop() was asked for; everything committed so far stays. */
export class SyncStopped extends Error {
  constructor() {
    super('The sync was stopped.')
    this.name = 'SyncStopped'
  }
}

interface Stream {
  table: SyncedTable
  tombstones: boolean
}

interface RunContext {
  db: Database
  writer: CacheWriter
  pageSize: number
  options: SyncOptions
  now: number
  watermark: bigint
  /** How many tenants the server showed the operator when the run began. */
  visibleCount: number
  /** How many tenants this run syncs (the cache's tenant set). */
  syncedCount: number
  /** The synced tables this role may read and this run pulls. */
  tables: SyncedTable[]
  access: SyncAccess
  shouldStop: () => boolean
  report: (p: SyncProgress) => void
  progress: { done: number; total: number | null }
}

/**
 * One pull of everything the operator may see into the cache. The watermark is read once, first:
 * every later read stays below it, so one run is a consistent cut of committed history, and the
 * next run starts where this one's cursors stopped.
 */
export async function syncOnce(
  db: Database,
  cache: CacheDb,
  options: SyncOptions = {},
  hooks: { onProgress?: (p: SyncProgress) => void; shouldStop?: () => boolean } = {}
): Promise<SyncReport> {
  const report = hooks.onProgress ?? (() => {})
  report({ phase: 'planning', done: 0, total: null })

  const writer = new CacheWriter(cache)
  const plan = await db.withPlatform(async (client) => {
    const watermark = await readWatermark(client)
    const fingerprints = await fetchSchemaFingerprints(client)
    const tables = SYNCED_TABLES.filter((t) => fingerprints.has(t) && (!options.tables || options.tables.includes(t)))
    // The tenants to sync follow from the visible ones, the scope, and whether the role reads any
    // synced table: when those are the last run's, so is the set, and the list is not read.
    const chosenFrom = JSON.stringify([await fetchVisibleTenantsDigest(client), tables.length > 0, options.scope ?? null])
    const known = writer.knownTenants(chosenFrom)
    const visible = known ? null : await fetchVisibleTenants(client)
    return {
      watermark,
      fingerprints,
      tables,
      chosenFrom,
      known,
      // A role that reads no synced table (a moderator) has nothing to pull from any tenant.
      tenants: known?.tenants ?? (tables.length === 0 ? [] : chooseTenants(visible!, options.scope)),
      visibleCount: known?.visibleCount ?? visible!.length,
      access: await fetchSyncAccess(client),
      // Offline, the screens name the tenants they list: a few fields per tenant, read when they changed.
      directory: await fetchTenantDirectory(client, writer.directoryDigest())
    }
  })
  const ctx: RunContext = {
    db,
    writer,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    options,
    now: Date.now(),
    watermark: plan.watermark,
    visibleCount: plan.visibleCount,
    syncedCount: plan.tenants.length,
    tables: plan.tables,
    access: plan.access,
    shouldStop: hooks.shouldStop ?? (() => false),
    report,
    progress: { done: 0, total: null }
  }

  const tenants = plan.tenants
  const purgedTenants = plan.known ? [] : reconcileTenants(writer, tenants)
  if (!plan.known) writer.rememberTenantsChosenFrom(plan.chosenFrom, plan.visibleCount)
  // Before pulling: a purge's bytes leave the disk even if this sync fails later on.
  writer.scrubIfPending()
  const resetTables = reconcileTables(ctx, plan.fingerprints)
  const streams: Stream[] = ctx.tables.flatMap((table) => [
    { table, tombstones: false },
    ...(ctx.access.tombstones ? [{ table, tombstones: true }] : [])
  ])

  // An empty table (the initial sync, or one reset above) is loaded first and indexed after.
  const bulk = ctx.tables.filter((table) => writer.beginBulkLoad(table))
  let rows = 0
  let tombstones = 0
  try {
    const plans = await planStreams(ctx, tenants, streams)
    ctx.progress.total = plans.reduce((sum, plan) => sum + plan.pending, 0)
    report({ phase: 'pulling', ...ctx.progress })

    for (const plan of plans) {
      let pulled = 0
      for (const group of plan.groups) pulled += await pullStreamAcross(ctx, plan.stream, group)
      for (const [tenantId, pending] of plan.alone) pulled += await pullStream(ctx, plan.stream, tenantId, pending)
      if (plan.stream.tombstones) tombstones += pulled
      else rows += pulled
    }
    if (ctx.access.dailyUsage && ctx.tables.includes('usage_records')) await pullUsageBilling(ctx, tenants)
    writer.replaceTenantDirectory(tenants, plan.directory)
    for (const table of ctx.tables) {
      const cutoff = windowStart(ctx, table)
      if (cutoff !== null) writer.pruneOlderThan(table, cutoff)
    }
  } finally {
    // Also after a failure or a stop: the screens search what arrived. A killed worker leaves the
    // tables in bulk mode instead, and the next run resumes that way and indexes at its end.
    for (const table of bulk) writer.finishBulkLoad(table)
  }
  const finishedAt = Date.now()
  writer.setMeta('last_sync_at', String(finishedAt))
  report({ phase: 'finished', done: ctx.progress.done, total: ctx.progress.done })
  return { tenants: tenants.length, rows, tombstones, purgedTenants, resetTables, finishedAt }
}


/**
 * Temporary (break-glass) access is not copied to the laptop unless pinned: the copy would outlive
 * the grant until the next sync.
 */
function chooseTenants(visible: VisibleTenant[], scope: SyncScope = { assigned: true, pinned: [] }): string[] {
  const pinned = new Set(scope.pinned)
  const lasting = new Set(['assigned', 'all', 'platform'])
  return visible.filter((t) => (scope.assigned && lasting.has(t.access)) || pinned.has(t.id)).map((t) => t.id)
}

function reconcileTenants(writer: CacheWriter, tenants: string[]): string[] {
  const before: string[] = JSON.parse(writer.meta('tenants') ?? '[]')
  const now = new Set(tenants)
  const lost = before.filter((id) => !now.has(id))
  if (lost.length > 0 || before.length !== tenants.length || before.some((id, i) => id !== tenants[i])) {
    writer.replaceTenantSet(lost, tenants)
  }
  return lost
}

/**
 * A table whose server columns or whose window changed is emptied and pulled again from the start;
 * one the role may no longer read (no visible columns) is emptied for good.
 */
function reconcileTables(ctx: RunContext, fingerprints: Map<string, string>): SyncedTable[] {
  const reset: SyncedTable[] = []
  for (const table of SYNCED_TABLES) {
    if (ctx.options.tables && !ctx.options.tables.includes(table)) continue
    const shape = JSON.stringify({ columns: fingerprints.get(table) ?? null, windowDays: ctx.options.windowDays?.[table] ?? null })
    const key = `shape:${table}`
    const before = ctx.writer.meta(key)
    if (before === shape) continue
    ctx.writer.resetTable(table, key, shape)
    if (before !== null) reset.push(table)
  }
  return reset
}

export const DEFAULT_ROLLUP_DAYS = 400

/**
 * Rows per keyset page. Each page costs a transaction, a role switch and a query start besides its
 * rows; the initial sync of a million executions ran at 35,900 rows/s with pages of 2,000, 42,200
 * with 5,000 and 39,200 with 10,000 (one machine, one run each). Two pages are held at a time
 * (the one applied and the one prefetched): about 6 MB for executions.
 */
export const DEFAULT_PAGE_SIZE = 5000

/** Rollups, billing data and "complete up to" for the usage screens, in one read and one write. */
async function pullUsageBilling(ctx: RunContext, tenants: string[]): Promise<void> {
  const fromDay = new Date(ctx.now - (ctx.options.rollupDays ?? DEFAULT_ROLLUP_DAYS) * DAY_MS).toISOString().slice(0, 10)
  const known = ctx.writer.meta('usage_folded_at')
  const [knownWindow, knownFold] = known === null ? [null, null] : [known.slice(0, known.indexOf('|')), known.slice(known.indexOf('|') + 1)]
  const billing = await ctx.db.withPlatform((client) => fetchUsageBilling(client, fromDay, knownWindow === fromDay ? knownFold : null))
  ctx.writer.replaceUsageBilling(tenants, billing, fromDay)
}

function windowStart(ctx: RunContext, table: SyncedTable): number | null {
  const days = ctx.options.windowDays?.[table]
  return days === undefined ? null : ctx.now - days * DAY_MS
}

const streamName = (s: Stream) => (s.tombstones ? tombstoneStream(s.table) : s.table)

/** Tenants of one stream read together, from one position. */
interface AcrossGroup {
  tenants: string[]
  from: StreamCursor
  /** Rows pending for these tenants; null when unknown (a resumed read), so the read is not skipped. */
  pending: number | null
}

interface StreamPlan {
  stream: Stream
  /** Read across tenants, streamed (see pullStreamAcross): a read an interrupted run left, then one per cursor position. */
  groups: AcrossGroup[]
  /** Tenants an earlier release left in the middle of their own stream: read on their own, with their pending rows. */
  alone: Map<string, number>
  pending: number
}

/**
 * What each stream reads, decided in one platform transaction whatever the number of tenants: the
 * pending counts (one index range per stream and cursor position; see
 * countPendingAcross) and the archival horizons, applied at once. Tenants whose cursors stand at
 * the same position (after a sync, all of them; at an initial sync, 0) are read together.
 */
async function planStreams(ctx: RunContext, tenants: string[], streams: Stream[]): Promise<StreamPlan[]> {
  let held: Set<string> | null = null
  const shapes = streams.map((stream) => {
    const name = streamName(stream)
    const resumed = ctx.writer.acrossResume(name)
    const resumedTenants = resumed ? resumed.tenants.filter((t) => (held ??= new Set(tenants)).has(t)) : []
    const inResumed = new Set(resumedTenants)
    const byPosition = new Map<bigint, string[]>()
    const alone = new Map<string, StreamCursor>()
    const cursors = ctx.writer.cursors(name)
    if (cursors.everyTenant && inResumed.size === 0) {
      // Every tenant at one position: one group, no walk over 10,000 tenants per stream.
      if (tenants.length > 0 && cursors.everyTenant.xid < ctx.watermark) byPosition.set(cursors.everyTenant.xid, tenants)
    } else {
      for (const tenantId of tenants) {
        if (inResumed.has(tenantId)) continue
        const cursor = cursors.of(tenantId)
        if (cursor.id !== null) alone.set(tenantId, cursor)
        else if (cursor.xid < ctx.watermark) pushTo(byPosition, cursor.xid, tenantId)
      }
    }
    return { stream, resumed: resumed && resumedTenants.length > 0 ? { tenants: resumedTenants, cursor: resumed.cursor } : null, byPosition, alone }
  })

  const probes: PendingProbe[] = []
  const probeTenants: (string[] | null)[] = []
  for (const shape of shapes) {
    const positions: [bigint, string[]][] = [...shape.byPosition, ...[...shape.alone].map(([t, c]): [bigint, string[]] => [c.xid, [t]])]
    for (const [xid, group] of positions) {
      probes.push({
        table: shape.stream.table,
        tombstones: shape.stream.tombstones,
        from: { xid, id: null },
        timeColumn: shape.stream.tombstones ? null : TABLE_SPECS[shape.stream.table].timeColumn,
        windowStartMs: shape.stream.tombstones ? null : windowStart(ctx, shape.stream.table)
      })
      // Every visible tenant: row-level security narrows the count, no tenant list is sent.
      probeTenants.push(group.length === ctx.visibleCount ? null : group)
    }
  }
  const horizonCursors = ctx.writer.cursors(PURGE_STREAM)
  const horizonsFrom = horizonCursors.everyTenant
    ? horizonCursors.everyTenant.xid
    : tenants.reduce((from, t) => {
        const xid = horizonCursors.of(t).xid
        return xid < from ? xid : from
      }, ctx.watermark)
  const wantsHorizons = ctx.access.purgeHorizons && ctx.tables.includes('executions') && tenants.length > 0 && horizonsFrom < ctx.watermark
  const found = await ctx.db.withPlatform(async (client) => ({
    counts: await countPendingAcross(client, probes, probeTenants, ctx.watermark),
    horizons: wantsHorizons ? await fetchPurgeHorizonsAcross(client, tenants.length === ctx.visibleCount ? null : tenants, ctx.tables, horizonsFrom, ctx.watermark) : null
  }))
  if (found.horizons) {
    const byTenant = new Map<string, PageRow[]>()
    for (const [tenantId, ...row] of found.horizons) {
      // Each tenant from its own cursor: an older horizon was applied by an earlier sync. A tenant
      // the read showed beyond the synced ones (visible since the run began) is not held here.
      if (!(held ??= new Set(tenants)).has(tenantId as string) || BigInt(row[0] as string) < horizonCursors.of(tenantId as string).xid) continue
      pushTo(byTenant, tenantId as string, row)
    }
    ctx.writer.applyPurgeHorizons(tenants, byTenant, ctx.watermark)
  }

  let probe = 0
  return shapes.map((shape) => {
    const plan: StreamPlan = { stream: shape.stream, groups: [], alone: new Map(), pending: 0 }
    if (shape.resumed) plan.groups.push({ tenants: shape.resumed.tenants, from: shape.resumed.cursor, pending: null })
    for (const [xid, group] of shape.byPosition) {
      // Counted for exactly these tenants (row-level security, or the list the probe sent).
      const pending = found.counts[probe++]!.total
      plan.groups.push({ tenants: group, from: { xid, id: null }, pending })
      plan.pending += pending
    }
    for (const [tenantId] of shape.alone) {
      const pending = found.counts[probe++]!.byTenant.get(tenantId) ?? 0
      plan.alone.set(tenantId, pending)
      plan.pending += pending
    }
    return plan
  })
}

/**
 * Pages one query of pullStreamAcross may span: a statement stays well inside the pool's timeout
 * (15 s) and a stop waits for at most this many pages to pass over (about a second).
 */
export const PAGES_PER_QUERY = 20

/**
 * Reads one stream of many tenants at once, from the group's position to the watermark, with no
 * tenant set: row-level security shows the operator's visible tenants, and the group narrows that
 * to its own. Rows stream from PostgreSQL while the previous page is written (see streamAcross),
 * one query per PAGES_PER_QUERY pages; each page commits with the read's position (an
 * interrupted run resumes there), and the last moves the tenants' cursors to the watermark (see
 * applyPageAcross).
 */
async function pullStreamAcross(ctx: RunContext, stream: Stream, group: AcrossGroup): Promise<number> {
  const { tenants } = group
  if (tenants.length === 0) return 0
  // A stream's groups hold distinct tenants: one as large as the synced set is all of it.
  const everyTenant = tenants.length === ctx.syncedCount
  if (group.pending === 0) {
    ctx.writer.applyPageAcross(stream, tenants, [], null, ctx.watermark, everyTenant)
    return 0
  }
  const name = streamName(stream)
  if (group.pending !== null) ctx.writer.beginAcross(name, tenants, group.from)
  const across = { spec: TABLE_SPECS[stream.table], tombstones: stream.tombstones }
  const cutoff = windowStart(ctx, stream.table)
  // Every visible tenant (the usual case): row-level security alone narrows the read, and a tenant
  // that became visible during the run is dropped here, as the cache does not hold it.
  const narrow = tenants.length === ctx.visibleCount ? null : tenants
  let held: Set<string> | null = null
  const tenantColumn = pageColumns(across.spec).indexOf('tenant_id')
  const limit = ctx.pageSize * PAGES_PER_QUERY
  let applied = 0
  let page: PageRow[] = []
  const commit = (next: StreamCursor | null) => {
    const rows = narrow || stream.tombstones || page.length === 0 ? page : page.filter((row) => (held ??= new Set(tenants)).has(row[tenantColumn] as string))
    ctx.writer.applyPageAcross(stream, tenants, rows, next, ctx.watermark, everyTenant)
    applied += page.length
    ctx.progress.done += page.length
    page = []
    ctx.report({ phase: 'pulling', table: name, ...ctx.progress })
  }
  let from = group.from
  for (;;) {
    // A failure while rows arrive (a stop, a cache write) is raised once the query has ended.
    let failure: unknown = null
    const read = await ctx.db.withPlatform((client) =>
      streamAcross(client, across, narrow, from, ctx.watermark, cutoff, limit, (row) => {
        if (failure !== null) return
        try {
          page.push(row)
          if (page.length < ctx.pageSize) return
          if (ctx.shouldStop()) throw new SyncStopped()
          from = { xid: BigInt(row[0] as string), id: row[1] as string }
          commit(from)
        } catch (error) {
          failure = error
        }
      })
    )
    if (failure !== null) throw failure
    // A short read reached the watermark: its last rows (maybe none) end the read.
    if (read < limit) {
      commit(null)
      return applied
    }
  }
}

/**
 * Pages through one stream of one tenant. A stream with nothing pending moves its cursor to the
 * watermark without asking the server. Otherwise the next page is requested before the current
 * one is applied, so PostgreSQL works on it while SQLite writes (the apply is synchronous and
 * never spans an await).
 */
async function pullStream(ctx: RunContext, stream: Stream, tenantId: string, pending: number): Promise<number> {
  const name = streamName(stream)
  const start = ctx.writer.cursor(name, tenantId)
  const atWatermark: StreamCursor = { xid: ctx.watermark, id: null }
  const apply = (rows: PageRow[], next: StreamCursor) =>
    stream.tombstones
      ? ctx.writer.applyTombstones(stream.table, tenantId, rows, next, ctx.watermark)
      : ctx.writer.applyTablePage(stream.table, tenantId, rows, next, ctx.watermark)
  if (start.id === null && start.xid >= ctx.watermark) return 0
  if (pending === 0) {
    apply([], atWatermark)
    return 0
  }
  const spec = TABLE_SPECS[stream.table]
  const cutoff = windowStart(ctx, stream.table)
  const fetchAfter = (cursor: StreamCursor) =>
    requestPage((sent) =>
      ctx.db.withTenant(tenantId, (client) =>
        stream.tombstones
          ? fetchTombstonePage(client, tenantId, stream.table, cursor, ctx.watermark, ctx.pageSize, sent)
          : fetchTablePage(client, spec, tenantId, cursor, ctx.watermark, cutoff, ctx.pageSize, sent)
      )
    )

  let applied = 0
  let page = await fetchAfter(start).rows
  for (;;) {
    if (ctx.shouldStop()) throw new SyncStopped()
    const full = page.length === ctx.pageSize
    const last = page[page.length - 1]
    // A short page means the range below the watermark is exhausted: the stream is at the watermark.
    const next: StreamCursor = full && last ? { xid: BigInt(last[0] as string), id: last[1] as string } : atWatermark
    const prefetch = full ? fetchAfter(next) : null
    await prefetch?.sent
    apply(page, next)
    applied += page.length
    ctx.progress.done += page.length
    ctx.report({ phase: 'pulling', table: name, tenantId, ...ctx.progress })
    if (!prefetch) return applied
    page = await prefetch.rows
  }
}

/**
 * A page request and the moment its query is on the wire. The caller waits for `sent` before the
 * synchronous apply of the page it holds: a request merely started would send nothing until the
 * apply returned (its connect, BEGIN and role switch each need the event loop), and PostgreSQL
 * would idle while SQLite writes. A request that fails before sending settles `sent` too; its
 * failure surfaces where `rows` is awaited (and is kept from being an unhandled rejection if the
 * apply throws first).
 */
function requestPage(fetch: (sent: () => void) => Promise<PageRow[]>): { rows: Promise<PageRow[]>; sent: Promise<void> } {
  let markSent!: () => void
  const sent = new Promise<void>((resolve) => (markSent = resolve))
  const rows = fetch(markSent)
  rows.then(markSent, markSent)
  return { rows, sent }
}

/** Appends to the list under `key` in place (copying it per tenant was quadratic: 10,000 tenants at one position). */
function pushTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key)
  if (list) list.push(value)
  else lists.set(key, [value])
}
