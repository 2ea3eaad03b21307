/**
 * Issue 14, docs/scale-out.md: what happens to the xid8 sync cursor when the rows live on several
 * PostgreSQL servers, each with its own transaction ids (Citus workers). Three throwaway local
 * clusters stand in for the workers; writers insert executions (sync_xid default
 * pg_current_xact_id(), as in migration 003) at different rates, some holding their transaction
 * open before committing (late commits); three syncers pull at the same time:
 *
 *   A. one cursor, one watermark = the minimum of the workers' watermarks (the cautious port);
 *   B. one cursor, each worker read below its own watermark (the naive port);
 *   C. one cursor and one watermark per worker (the design docs/scale-out.md proposes).
 *
 * Reported: rows written, rows each syncer never received (lost or still stuck after the writers
 * stopped and every transaction ended), and the lag from commit to sync (p50/p95).
 * Run: npx tsx bench/scale-out-sim.ts [seconds]. Not part of npm run bench (it starts three clusters).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { oldestDebianPostgres, startDebianServer } from '../test/helpers/debian-pg'
import type { ThrowawayServer } from '../test/helpers/throwaway-pg'
import { percentile } from './report'

const SECONDS = Number(process.argv[2] ?? 20)
const NODES = 3
/** Writers per node: the workers see very different write rates, as shards of big and small tenants do. */
const WRITERS = [4, 2, 1]
/** xids burnt on node 0 before the run: its counter is far ahead, as on a busy worker. */
const HEAD_START = 3_000
const LATE_COMMIT_SHARE = 0.05
const SYNC_EVERY_MS = 50

type Cursor = { xid: bigint; id: string }
const ZERO: Cursor = { xid: 0n, id: '00000000-0000-0000-0000-000000000000' }
const after = (a: Cursor, b: Cursor) => a.xid > b.xid || (a.xid === b.xid && a.id > b.id)

async function main() {
  const install = oldestDebianPostgres()
  if (!install) throw new Error('No Debian PostgreSQL installed: the simulation needs its binaries.')
  const servers: ThrowawayServer[] = []
  const pools: pg.Pool[] = []
  try {
    for (let i = 0; i < NODES; i++) servers.push(await startDebianServer(install))
    for (const s of servers) pools.push(new pg.Pool({ host: s.host, port: s.port, user: s.adminUser, password: s.adminPassword, database: 'postgres', max: 8 }))
    for (const pool of pools) {
      await pool.query(`create table executions (id uuid primary key default gen_random_uuid(), tenant int not null,
        sync_xid xid8 not null default pg_current_xact_id()); create index on executions (sync_xid, id)`)
    }
    const burn = await pools[0]!.connect()
    for (let i = 0; i < HEAD_START; i++) await burn.query('select pg_current_xact_id()')
    burn.release()

    const committedAt = new Map<string, number>()
    let writing = true
    const writer = async (node: number) => {
      const client = await pools[node]!.connect()
      try {
        while (writing) {
          await client.query('begin')
          const { rows } = await client.query<{ id: string }>(
            'insert into executions (tenant) select $1 from generate_series(1, 1 + floor(random() * 4)::int) returning id::text',
            [node]
          )
          if (Math.random() < LATE_COMMIT_SHARE) await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200))
          await client.query('commit')
          const at = Date.now()
          for (const row of rows) committedAt.set(row.id, at)
        }
      } finally {
        client.release()
      }
    }

    const watermark = async (node: number) =>
      BigInt((await pools[node]!.query<{ w: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as w')).rows[0]!.w)
    const read = async (node: number, from: Cursor, below: bigint) => {
      const { rows } = await pools[node]!.query<{ id: string; xid: string }>(
        `select id::text, sync_xid::text as xid from executions
          where sync_xid < $1::xid8 and (sync_xid, id) > ($2::xid8, $3::uuid) order by sync_xid, id`,
        [below.toString(), from.xid.toString(), from.id]
      )
      return rows.map((r) => ({ id: r.id, xid: BigInt(r.xid) }))
    }

    const received = { A: new Map<string, number>(), B: new Map<string, number>(), C: new Map<string, number>() }
    const cursors = { A: ZERO, B: ZERO, C: Array.from({ length: NODES }, () => ZERO) }
    const take = (seen: Map<string, number>, rows: { id: string }[]) => {
      const now = Date.now()
      for (const row of rows) if (!seen.has(row.id)) seen.set(row.id, now)
    }
    const syncRound = async () => {
      const marks = await Promise.all(pools.map((_, n) => watermark(n)))
      // A: every worker below the smallest watermark, one cursor.
      const low = marks.reduce((a, b) => (a < b ? a : b))
      const a = (await Promise.all(pools.map((_, n) => read(n, cursors.A, low)))).flat()
      take(received.A, a)
      for (const row of a) if (after(row, cursors.A)) cursors.A = row
      // B: each worker below its own watermark, one cursor (the highest position read anywhere).
      const b = (await Promise.all(pools.map((_, n) => read(n, cursors.B, marks[n]!)))).flat()
      take(received.B, b)
      for (const row of b) if (after(row, cursors.B)) cursors.B = row
      // C: a cursor and a watermark per worker.
      const c = await Promise.all(pools.map((_, n) => read(n, cursors.C[n]!, marks[n]!)))
      c.forEach((rows, n) => {
        take(received.C, rows)
        for (const row of rows) if (after(row, cursors.C[n]!)) cursors.C[n] = row
      })
    }

    const writers = WRITERS.flatMap((count, node) => Array.from({ length: count }, () => writer(node)))
    const started = Date.now()
    while (Date.now() - started < SECONDS * 1000) {
      await syncRound()
      await new Promise((r) => setTimeout(r, SYNC_EVERY_MS))
    }
    writing = false
    await Promise.all(writers)
    // Every transaction has ended: whatever a syncer has not received after a few more rounds never arrives.
    for (let i = 0; i < 20; i++) await syncRound()

    const written = committedAt.size
    const xidRanges = await Promise.all(
      pools.map(async (pool) => (await pool.query<{ lo: string; hi: string; n: number }>('select min(sync_xid)::text as lo, max(sync_xid)::text as hi, count(*)::int as n from executions')).rows[0]!)
    )
    const figures = Object.fromEntries(
      (['A', 'B', 'C'] as const).map((name) => {
        const seen = received[name]
        const lags = [...seen].map(([id, at]) => at - committedAt.get(id)!).sort((x, y) => x - y)
        return [name, { received: seen.size, neverReceived: written - seen.size, lagP50Ms: percentile(lags, 50), lagP95Ms: percentile(lags, 95) }]
      })
    )
    const report = { seconds: SECONDS, nodes: NODES, writersPerNode: WRITERS, headStartXids: HEAD_START, lateCommitShare: LATE_COMMIT_SHARE, written, xidRanges, strategies: figures }
    console.log(JSON.stringify(report, null, 2))
    const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'scale-out-sim.json')
    await mkdir(path.dirname(out), { recursive: true })
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`)
  } finally {
    await Promise.all(pools.map((p) => p.end()))
    await Promise.all(servers.map((s) => s.stop()))
  }
}

await main()
