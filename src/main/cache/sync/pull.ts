import { createHash } from 'node:crypto'
import pg from 'pg'
import type { PoolClient } from 'pg'
import { KEYSET, SYNCED_TABLES, type SyncedTable, type SyncedTableSpec } from './tables'

const { Query } = pg

/** Position of a stream: every row version ordered before (xid, id) is in the cache. */
export interface StreamCursor {
  xid: bigint
  /** null: every version with sync_xid < xid is applied (the stream reached that watermark). */
  id: string | null
}

export type PageRow = unknown[]

/**
 * Every transaction whose xid8 is below the xmin of a snapshot has ended (committed or aborted),
 * and every transaction that starts later gets a larger xid. So the set of row versions with
 * sync_xid < watermark can no longer grow: reading below it in keyset order never skips a version
 * that commits later. A transaction still running now has xid >= watermark, and its rows — whatever
 * their timestamps — are read by a later sync, once a later watermark has passed them.
 */
export async function readWatermark(client: PoolClient): Promise<bigint> {
  const { rows } = await client.query<{ w: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS w')
  return BigInt(rows[0]!.w)
}

/**
 * Resolves once every transaction that had begun when it was called has ended, anywhere in the
 * cluster: from then on a sync's watermark is past everything written before the call. It is the
 * cost of the design: a long transaction anywhere holds the cache back.
 */
export async function waitForWatermark(client: { query: PoolClient['query'] }, timeoutMs: number): Promise<void> {
  const { rows } = await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { rows: passed } = await client.query<{ ok: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS ok', [rows[0]!.xid])
    if (passed[0]!.ok) return
    if (Date.now() > deadline) throw new Error('A transaction elsewhere on the server stayed open too long for the sync to see the latest rows.')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * Runs one page query and calls `sent` as soon as it is on its way, before its rows arrive:
 * node-postgres writes a query to the socket at once when the connection is idle, so the caller
 * may block its thread (the synchronous SQLite apply of the previous page) while PostgreSQL reads
 * this one. Named after its text, so each pooled connection parses and plans it once.
 */
async function pageQuery(client: { query: PoolClient['query'] }, text: string, values: unknown[], sent?: () => void): Promise<PageRow[]> {
  const result = client.query<PageRow>({ name: statementName(text), text, values, rowMode: 'array' })
  sent?.()
  return (await result).rows
}

/**
 * One keyset page of a table for one tenant: versions after the cursor and below the watermark,
 * in (sync_xid, id) order. A version that moves above the watermark between two pages (an update)
 * leaves the range and is read by the next sync with its new xid; none can enter the range behind
 * the cursor, because entering requires an xid below the watermark.
 */
export async function fetchTablePage(
  client: PoolClient,
  spec: SyncedTableSpec,
  tenantId: string,
  after: StreamCursor,
  watermark: bigint,
  windowStartMs: number | null,
  limit: number,
  sent?: () => void
): Promise<PageRow[]> {
  const select = [...KEYSET, ...spec.columns].map((c) => c.server).join(', ')
  const values: unknown[] = [tenantId, watermark.toString(), after.xid.toString()]
  const conditions = ['t.tenant_id = $1', 't.sync_xid < $2::xid8']
  if (after.id === null) {
    conditions.push('t.sync_xid >= $3::xid8')
  } else {
    values.push(after.id)
    conditions.push(`(t.sync_xid, t.id) > ($3::xid8, $${values.length}::uuid)`)
  }
  if (windowStartMs !== null) {
    values.push(windowStartMs / 1000)
    conditions.push(`t.${spec.timeColumn} >= to_timestamp($${values.length})`)
  }
  values.push(limit)
  return pageQuery(client, `SELECT ${select} FROM ${spec.table} t WHERE ${conditions.join(' AND ')} ORDER BY t.sync_xid, t.id LIMIT $${values.length}`, values, sent)
}

/** A prepared statement's name, from its text: each pooled connection parses and plans it once. */
const statementName = (text: string) => `sync-page-${createHash('sha1').update(text).digest('hex').slice(0, 20)}`

/**
 * Switches the rest of the transaction to `<prefix>_sync` (migration 029), the one role whose
 * policy shows the rows of the session user's visible tenants when no tenant is set; the screens'
 * queries never carry that policy, so theirs stay index conditions on tenant_id. A no-op for a
 * role that is no member (finance reads usage platform-wide through its own policy). Every read
 * across tenants below starts with it: the role reads the synced tables and nothing else, so the
 * transaction must not read anything else after it.
 */
export async function enterSyncReader(client: { query: PoolClient['query'] }): Promise<void> {
  await client.query(`SELECT set_config('role', r, true) FROM app.role_name('sync') r WHERE pg_has_role(session_user, r, 'MEMBER')`)
}

/** One stream read across tenants: a synced table's rows, or its tombstones. */
export interface AcrossStream {
  spec: SyncedTableSpec
  tombstones: boolean
}

/**
 * The read of one stream across tenants, with no tenant set: row-level security shows the
 * operator's visible tenants (the sync_visible_tenants policy, under enterSyncReader) and `tenants`
 * narrows that to the ones this cache syncs (null: every visible one, and no tenant list to send
 * and test per row). Versions after `after` and below the watermark, in (sync_xid, id) order, at
 * most `limit`; a table's rows within its window (tombstones have none). Rows are [sync_xid, id,
 * ...the table's columns], tombstones [sync_xid, id, table_name, row_id].
 */
function acrossQuery(
  stream: AcrossStream,
  tenants: readonly string[] | null,
  after: StreamCursor,
  watermark: bigint,
  windowStartMs: number | null,
  limit: number
): { text: string; values: unknown[] } {
  const values: unknown[] = [tenants, watermark.toString(), after.xid.toString()]
  const conditions = ['($1::uuid[] IS NULL OR t.tenant_id = ANY($1::uuid[]))', 't.sync_xid < $2::xid8']
  if (after.id === null) {
    conditions.push('t.sync_xid >= $3::xid8')
  } else {
    values.push(after.id)
    conditions.push(`(t.sync_xid, t.id) > ($3::xid8, $${values.length}::${stream.tombstones ? 'bigint' : 'uuid'})`)
  }
  let select: string
  let from: string
  if (stream.tombstones) {
    values.push(stream.spec.table)
    conditions.push(`t.table_name = $${values.length}`)
    select = 't.sync_xid::text, t.id::text, t.table_name, t.row_id::text'
    from = 'sync_tombstones'
  } else {
    if (windowStartMs !== null) {
      values.push(windowStartMs / 1000)
      conditions.push(`t.${stream.spec.timeColumn} >= to_timestamp($${values.length})`)
    }
    select = [...KEYSET, ...stream.spec.columns].map((c) => c.server).join(', ')
    from = stream.spec.table
  }
  values.push(limit)
  return { text: `SELECT ${select} FROM ${from} t WHERE ${conditions.join(' AND ')} ORDER BY t.sync_xid, t.id LIMIT $${values.length}`, values }
}

/**
 * One keyset page of a table across tenants (see acrossQuery), fetched whole. The sync streams
 * instead (streamAcross); bench/cache.ts times this page by page as the keyset pull's ceiling.
 */
export async function fetchTablePageAcross(
  client: PoolClient,
  spec: SyncedTableSpec,
  tenants: readonly string[] | null,
  after: StreamCursor,
  watermark: bigint,
  windowStartMs: number | null,
  limit: number
): Promise<PageRow[]> {
  await enterSyncReader(client)
  const { text, values } = acrossQuery({ spec, tombstones: false }, tenants, after, watermark, windowStartMs, limit)
  return pageQuery(client, text, values)
}

/**
 * Reads up to `limit` versions of one stream across tenants (see acrossQuery) in one query and
 * hands each row to `onRow` as it is parsed, in order; resolves with the number of rows once the
 * query ends. PostgreSQL keeps producing rows while `onRow` writes the previous ones (as much as the
 * socket buffers hold), where a page per query left it idle from one page's end to the next request
 * and sought the range again each time: a million audit rows read at 154,000 rows/s this way,
 * 89,000 page by page (one machine). `onRow` must not throw: a failure there is the caller's to
 * record and raise once this resolves (the rest of the rows still arrive and are passed over).
 * Sorting is off for the query: without a small LIMIT the planner might sort the whole range
 * rather than walk the (sync_xid, id) index, and no row would arrive before the sort ends.
 */
export async function streamAcross(
  client: PoolClient,
  stream: AcrossStream,
  tenants: readonly string[] | null,
  after: StreamCursor,
  watermark: bigint,
  windowStartMs: number | null,
  limit: number,
  onRow: (row: PageRow) => void
): Promise<number> {
  await enterSyncReader(client)
  await client.query('SET LOCAL enable_sort = off')
  const { text, values } = acrossQuery(stream, tenants, after, watermark, windowStartMs, limit)
  // rowMode is read by pg at run time; its typings leave it out of a Query's config.
  const config = { name: statementName(text), text, values, rowMode: 'array' }
  const query = client.query(new Query(config))
  let rows = 0
  return new Promise<number>((resolve, reject) => {
    query.on('row', (row: PageRow) => {
      rows++
      onRow(row)
    })
    query.on('end', () => resolve(rows))
    query.on('error', reject)
  })
}

export interface PendingProbe {
  /** A synced table, or the tombstones of one. */
  table: SyncedTable
  tombstones: boolean
  from: StreamCursor
  /** The window's time column, when the stream has a window. */
  timeColumn: string | null
  windowStartMs: number | null
}

/** Rows still to pull for one probe: in all, and per tenant when the probe named its tenants. */
export interface PendingCount {
  total: number
  byTenant: Map<string, number>
}

/**
 * Rows still to pull per probe, in one statement for every tenant at once: one (sync_xid, id) index
 * range per probe (a stream from one cursor position, for the tenants standing there; null: every
 * visible tenant). It costs what changed since that position, not a transaction per tenant. A probe
 * that names its tenants is counted per tenant; one of every visible tenant only in all (grouping a
 * thousand changed rows by tenant cost 3 ms more at 10,000 tenants, for counts nothing read apart).
 * Runs with no tenant set, so row-level security shows the operator's visible tenants only.
 */
export async function countPendingAcross(
  client: PoolClient,
  probes: readonly PendingProbe[],
  tenants: readonly (readonly string[] | null)[],
  watermark: bigint
): Promise<PendingCount[]> {
  if (probes.length === 0) return []
  await enterSyncReader(client)
  const values: unknown[] = [watermark.toString()]
  const param = (value: unknown) => `$${values.push(value)}`
  const counts = probes.map((probe, i) => {
    const group = tenants[i] ?? null
    const conditions = ['t.sync_xid < $1::xid8', `t.sync_xid >= ${param(probe.from.xid.toString())}::xid8`]
    if (group) conditions.push(`t.tenant_id = ANY(${param(group)}::uuid[])`)
    if (probe.tombstones) conditions.push(`t.table_name = ${param(probe.table)}`)
    if (probe.timeColumn !== null && probe.windowStartMs !== null) {
      conditions.push(`t.${probe.timeColumn} >= to_timestamp(${param(probe.windowStartMs / 1000)})`)
    }
    return `SELECT ${i} AS stream, ${group ? 't.tenant_id::text' : 'NULL::text'} AS tenant, count(*)::float8 AS n FROM ${probe.tombstones ? 'sync_tombstones' : probe.table} t
            WHERE ${conditions.join(' AND ')}${group ? ' GROUP BY t.tenant_id' : ''}`
  })
  const { rows } = await client.query<{ stream: number; tenant: string | null; n: number }>({ text: counts.join(' UNION ALL '), values })
  const out = probes.map((): PendingCount => ({ total: 0, byTenant: new Map() }))
  for (const row of rows) {
    const count = out[row.stream]!
    count.total += row.n
    if (row.tenant !== null) count.byTenant.set(row.tenant, row.n)
  }
  return out
}

/** [sync_xid, id, table_name, row_id]: deletions of one synced table, in (sync_xid, id) order. */
export async function fetchTombstonePage(
  client: PoolClient,
  tenantId: string,
  table: SyncedTable,
  after: StreamCursor,
  watermark: bigint,
  limit: number,
  sent?: () => void
): Promise<PageRow[]> {
  const values: unknown[] = [tenantId, watermark.toString(), after.xid.toString(), table]
  let keyset = 't.sync_xid >= $3::xid8'
  if (after.id !== null) {
    values.push(after.id)
    keyset = `(t.sync_xid, t.id) > ($3::xid8, $5::bigint)`
  }
  values.push(limit)
  return pageQuery(
    client,
    `SELECT t.sync_xid::text, t.id::text, t.table_name, t.row_id::text FROM sync_tombstones t
     WHERE t.tenant_id = $1 AND t.sync_xid < $2::xid8 AND ${keyset} AND t.table_name = $4
     ORDER BY t.sync_xid, t.id LIMIT $${values.length}`,
    values,
    sent
  )
}

/**
 * Archival horizons of many tenants newer than `fromXid`, in one read with no tenant set:
 * [tenant_id, sync_xid, table_name, horizon_column, before_ms]. Few rows, no paging. `tenants`
 * null: every visible tenant, as row-level security decides (no list of 10,000 ids to send and test).
 */
export async function fetchPurgeHorizonsAcross(
  client: PoolClient,
  tenants: readonly string[] | null,
  tables: readonly string[],
  fromXid: bigint,
  watermark: bigint
): Promise<PageRow[]> {
  await enterSyncReader(client)
  const { rows } = await client.query<PageRow>({
    text: `SELECT t.tenant_id::text, t.sync_xid::text, t.table_name, t.horizon_column, floor(extract(epoch from t.before_ts) * 1000)::float8
           FROM sync_purge_horizons t
           WHERE ($1::uuid[] IS NULL OR t.tenant_id = ANY($1::uuid[])) AND t.sync_xid >= $2::xid8 AND t.sync_xid < $3::xid8 AND t.table_name = ANY($4::text[])
           ORDER BY t.sync_xid, t.id`,
    values: [tenants, fromXid.toString(), watermark.toString(), tables],
    rowMode: 'array'
  })
  return rows
}

/** What the usage screens read offline besides the records: rollups, billing data and "complete up to". */
export interface UsageBilling {
  /** The fold's own time: an unchanged value means the rollup rows did not change either. */
  foldedAt: string | null
  completeUpTo: string | null
  /** [tenant_id, usage_type, usage_date, currency, total_quantity, total_amount, amount_micros, record_count, first_ms, last_ms]; null when not re-read. */
  rollups: PageRow[] | null
  tenants: PageRow[]
  subscriptions: PageRow[]
  priceBook: PageRow[]
  unitPrices: PageRow[]
  limits: PageRow[]
  currencies: PageRow[]
}

/**
 * One platform-wide read, as the operator's role, without a tenant context: the usage functions
 * and finance's billing policies decide which tenants answer (finance: the platform, by its grants;
 * support: its own tenants). The rollup rows are re-read only when a fold ran since `knownFoldedAt`.
 * Amounts leave as text and as exact integer millionths, so SQLite sums them without a float.
 */
export async function fetchUsageBilling(client: PoolClient, fromDay: string, knownFoldedAt: string | null): Promise<UsageBilling> {
  const rowsOf = async (text: string, values: unknown[] = []) => (await client.query<PageRow>({ text, values, rowMode: 'array' })).rows
  const fresh = await client.query<{ folded_at: string | null; complete_up_to: string | null }>(
    `SELECT to_char(f.folded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS folded_at,
            to_char(f.complete_up_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS complete_up_to
       FROM app.daily_usage_freshness() f`
  )
  const foldedAt = fresh.rows[0]?.folded_at ?? null
  const rollups =
    knownFoldedAt !== null && knownFoldedAt === foldedAt
      ? null
      : await rowsOf(
          `SELECT s.tenant_id::text, s.usage_type::text, s.usage_date::text, s.currency::text, s.total_quantity::float8, s.total_amount::text,
                  (s.total_amount * 1000000)::bigint::text, s.record_count::float8,
                  floor(extract(epoch from s.first_record) * 1000)::float8, floor(extract(epoch from s.last_record) * 1000)::float8
             FROM app.daily_usage($1::date, NULL) s`,
          [fromDay]
        )
  return {
    foldedAt,
    completeUpTo: fresh.rows[0]?.complete_up_to ?? null,
    rollups,
    tenants: await rowsOf(`SELECT t.id::text, t.slug::text, t.name::text, t.plan_type::text FROM public.tenants t`),
    subscriptions: await rowsOf(
      `SELECT s.id::text, s.tenant_id::text, s.plan_id::text, s.status::text, s.price_book_id::text,
              floor(extract(epoch from s.current_period_start) * 1000)::float8, floor(extract(epoch from s.current_period_end) * 1000)::float8,
              floor(extract(epoch from s.created_at) * 1000)::float8
         FROM public.subscriptions s`
    ),
    priceBook: await rowsOf(`SELECT p.id::text, p.plan_id::text, p.currency::text, p.amount::text FROM public.price_book p`),
    unitPrices: await rowsOf(`SELECT u.price_book_id::text, u.usage_type::text, u.currency::text, u.unit_price::text FROM public.price_book_unit_prices u`),
    limits: await rowsOf(`SELECT l.tenant_id::text, l.agent_usage_limit, l.storage_limit_mb FROM app.usage_limits() l`),
    currencies: await rowsOf(`SELECT c.code::text, c.minor_units FROM public.currencies c`)
  }
}

/** A tenant directory read: its digest, and its rows unless the digest was the one already held. */
export interface TenantDirectory {
  digest: string
  /** [id, slug, name, status, plan, industry, agent_usage_limit, storage_limit_mb]; null when unchanged. */
  rows: PageRow[] | null
}

/**
 * The directory fields of every tenant the tenants table shows the role without a tenant context:
 * [id, slug, name, status, plan, industry, agent_usage_limit, storage_limit_mb]. A column or the
 * limits function the role's grants leave out reads as null (fixed names chosen by a boolean).
 * The server hashes the rows first, and they are sent only when the hash differs from `known`
 * (the one the cache holds): at 10,000 tenants, sending them and hashing them on the client cost
 * about 17 ms of every sync, the server's hash about 6, and the directory rarely changes. An
 * all-tenants admin with every column reads the digest the server keeps instead (migration 030),
 * in constant time; it is told apart by its prefix, so a switch between the two reads the rows.
 */
export async function fetchTenantDirectory(client: PoolClient, known: string | null): Promise<TenantDirectory> {
  const granted = await client.query<{ status: boolean; plan: boolean; industry: boolean; limits: boolean; kept: string | null }>(
    `SELECT has_column_privilege('public.tenants', 'status', 'SELECT') AS status,
            has_column_privilege('public.tenants', 'plan_type', 'SELECT') AS plan,
            has_column_privilege('public.tenants', 'business_industry', 'SELECT') AS industry,
            has_function_privilege('app.usage_limits()', 'EXECUTE') AS limits,
            (SELECT d.directory FROM app.all_tenant_digests() d) AS kept`
  )
  const can = granted.rows[0]!
  const column = (allowed: boolean, name: string) => (allowed ? `t.${name}::text` : 'NULL::text')
  const fields = [
    't.id::text',
    't.slug::text',
    't.name::text',
    column(can.status, 'status'),
    column(can.plan, 'plan_type'),
    column(can.industry, 'business_industry'),
    ...(can.limits ? ['l.agent_usage_limit', 'l.storage_limit_mb'] : ['NULL::int', 'NULL::int'])
  ]
  const from = `FROM public.tenants t ${can.limits ? 'LEFT JOIN app.usage_limits() l ON l.tenant_id = t.id' : ''}`
  const digest = can.kept !== null && can.status && can.plan && can.industry && can.limits ? `all:${can.kept}` : await computedDirectoryDigest(client, fields, from)
  if (digest === known) return { digest, rows: null }
  const { rows } = await client.query<PageRow>({ text: `SELECT ${fields.join(', ')} ${from}`, rowMode: 'array' })
  return { digest, rows }
}

/**
 * The directory digest of an operator the kept one does not describe (see fetchTenantDirectory).
 * One 64-bit hash per row: its fields joined by a unit separator (a null marked apart from any
 * text), seeded by its id's hash, so two tenants swapping their fields change it too. Combined in
 * any order by XOR (ids are unique, so no two rows cancel), with the count: a changed, added or
 * removed row changes the digest. Cheaper than the rows' text forms in id order (17 ms).
 */
async function computedDirectoryDigest(client: PoolClient, fields: string[], from: string): Promise<string> {
  const rowText = fields.slice(1).map((f) => `coalesce(${f}::text, E'\\x1e')`).join(` || E'\\x1f' || `)
  const hashed = await client.query<{ digest: string }>(`SELECT count(*) || ':' || coalesce(bit_xor(hashtextextended(${rowText}, uuid_hash_extended(t.id, 0))), 0) AS digest ${from}`)
  return hashed.rows[0]!.digest
}

export interface VisibleTenant {
  id: string
  /**
   * 'assigned' (operator_tenants), 'all' (admin with the all-tenants assignment), 'break_glass', or
   * 'platform': a tenant the role reads through a platform-wide policy of its group (finance's
   * billing) without being assigned to it.
   */
  access: string
}

/**
 * Tenants the operator's role may see, as the server decides: its assignments and grants, plus the
 * tenants the tenants table shows it beyond those (its group's platform-wide policy, e.g. finance).
 * An all-tenants admin already sees every tenant, so the second part is skipped (a one-time filter).
 */
const VISIBLE_TENANTS = `
  SELECT tenant_id AS id, access FROM app.visible_tenants()
  UNION ALL
  SELECT t.id, 'platform' FROM public.tenants t
   WHERE NOT app.sees_all_tenants() AND t.id NOT IN (SELECT v.tenant_id FROM app.visible_tenants() v)`

/** The visible tenants, sorted as uuids (not as text under the database's collation: 5 ms at 10,000 tenants). */
export async function fetchVisibleTenants(client: PoolClient): Promise<VisibleTenant[]> {
  const { rows } = await client.query<VisibleTenant>(`SELECT v.id::text AS id, v.access FROM (${VISIBLE_TENANTS}) v ORDER BY v.id`)
  return rows
}

/**
 * A digest of the visible tenants and their access (count and XOR of 64-bit hashes, as for the
 * directory): a sync reads the list only when it changed. At 10,000 tenants the list cost 11 ms of
 * every sync, this 3.6. An all-tenants admin sees every tenant: the server keeps that set's digest
 * (migration 030) and the computed one is not evaluated (COALESCE stops at the first non-null).
 */
export async function fetchVisibleTenantsDigest(client: PoolClient): Promise<string> {
  const { rows } = await client.query<{ digest: string }>(
    `SELECT coalesce(
       (SELECT 'all:' || d.tenant_set FROM app.all_tenant_digests() d),
       (SELECT count(*) || ':' || coalesce(bit_xor(uuid_hash_extended(v.id, hashtext(v.access))), 0) FROM (${VISIBLE_TENANTS}) v)
     ) AS digest`
  )
  return rows[0]!.digest
}

export interface SyncAccess {
  tombstones: boolean
  purgeHorizons: boolean
  dailyUsage: boolean
}

/** What this role may read besides the synced tables: each group reaches a different part. */
export async function fetchSyncAccess(client: PoolClient): Promise<SyncAccess> {
  const { rows } = await client.query<SyncAccess>(
    `SELECT has_table_privilege('public.sync_tombstones', 'SELECT') AS tombstones,
            has_table_privilege('public.sync_purge_horizons', 'SELECT') AS "purgeHorizons",
            has_function_privilege('app.daily_usage(date, date)', 'EXECUTE') AS "dailyUsage"`
  )
  return rows[0]!
}

/**
 * One hash per synced table over its visible columns' names and types: a changed hash means
 * resync. A table the role may not read has no visible column, so it is absent from the map.
 */
export async function fetchSchemaFingerprints(client: PoolClient): Promise<Map<string, string>> {
  const { rows } = await client.query<{ table_name: string; fingerprint: string }>(
    `SELECT c.table_name::text, md5(string_agg(c.column_name || ' ' || c.data_type, ',' ORDER BY c.column_name)) AS fingerprint
     FROM information_schema.columns c
     WHERE c.table_schema = current_schema() AND c.table_name = ANY($1::text[])
     GROUP BY c.table_name`,
    [[...SYNCED_TABLES]]
  )
  return new Map(rows.map((r) => [r.table_name, r.fingerprint]))
}
