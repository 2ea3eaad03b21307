import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCacheForWriting, type CacheDb } from '../../src/main/cache/db'
import { CacheWriter, skyline } from '../../src/main/cache/sync/apply'
import type { PageRow } from '../../src/main/cache/sync/pull'

/**
 * Issue 14: an archival publishes a purge horizon per batch and tenant; the cache applies only the
 * horizons no other one subsumes. That must leave the cache exactly as applying every horizon on
 * its own does, a later archival with a shorter age (earlier before, newer version) included.
 */

let dir: string
const opened: CacheDb[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'purge-horizons-'))
})
afterEach(() => {
  for (const db of opened.splice(0)) db.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Execution id, its version and finish time; steps carry the execution's version. */
const EXECUTIONS: [string, number, number][] = [
  ['e1', 5, 1000],
  // Rewritten after the archival of version 30, before the one of version 40: only the later, shorter horizon drops it.
  ['e2', 35, 2000],
  // Rewritten after every archival: still live.
  ['e3', 45, 3000],
  ['e4', 8, 4000],
  ['e5', 28, 6000],
  // Finished after every horizon.
  ['e6', 10, 7000]
]
/** [sync_xid, table_name, horizon_column, before_ms] per table, as fetchPurgeHorizonsAcross returns them without the tenant. */
const HORIZONS: [number, number][] = [
  [20, 3500],
  [25, 5000], // subsumed by [30, 6500]
  [30, 6500],
  [40, 2500] // later archival, shorter age: not subsumed, subsumes nothing
]
const horizonRows = (horizons: [number, number][]): PageRow[] =>
  horizons.flatMap(([xid, before]) => [
    [String(xid), 'executions', 'finished_at', before],
    [String(xid), 'execution_steps', 'finished_at', before]
  ])

function filledCache(name: string): { db: CacheDb; writer: CacheWriter } {
  const db = openCacheForWriting(join(dir, name))
  opened.push(db)
  const writer = new CacheWriter(db)
  for (const tenant of ['t1', 't2']) {
    const executions = EXECUTIONS.map(([id, xid, finished]): PageRow => [
      String(xid), `${tenant}-${id}`, tenant, 'w1', 'Nightly', null, null, 'success', null, null, null, null, 12, finished - 500, finished, finished - 500, finished
    ])
    const steps = EXECUTIONS.map(([id, xid, finished]): PageRow => [
      String(xid), `${tenant}-${id}-s0`, tenant, `${tenant}-${id}`, 0, 'Webhook', 'success', finished - 500, finished, null, null, null, finished - 500
    ])
    writer.applyTablePage('executions', tenant, executions, { xid: 50n, id: null }, 50n)
    writer.applyTablePage('execution_steps', tenant, steps, { xid: 50n, id: null }, 50n)
  }
  return { db, writer }
}

const contents = (db: CacheDb) => ({
  executions: db.prepare('SELECT id, sync_xid FROM executions ORDER BY id').all() as { id: string }[],
  steps: db.prepare('SELECT id, execution_id, sync_xid FROM execution_steps ORDER BY id').all() as { id: string }[]
})

describe('purge horizons', () => {
  it('keep only the horizons no other one subsumes, the non-monotone pair included', () => {
    const kept = skyline(HORIZONS.map(([xid, before]) => ({ beforeMs: before, version: BigInt(xid) })))
    expect(kept).toEqual([
      { beforeMs: 6500, version: 30n },
      { beforeMs: 2500, version: 40n }
    ])
  })

  it('leave the same cache applied together as applied one by one', () => {
    const together = filledCache('together.sqlite')
    const usualCache = together.db.pragma('cache_size', { simple: true })
    together.writer.applyPurgeHorizons(['t1', 't2'], new Map([['t1', horizonRows(HORIZONS)]]), 60n)
    const oneByOne = filledCache('one-by-one.sqlite')
    for (const horizon of HORIZONS) oneByOne.writer.applyPurgeHorizons(['t1', 't2'], new Map([['t1', horizonRows([horizon])]]), 60n)

    expect(contents(together.db)).toEqual(contents(oneByOne.db))
    // The purge's larger page cache is the purge's only: the connection is back at its usual size.
    expect(together.db.pragma('cache_size', { simple: true })).toBe(usualCache)
    // Not vacuous: of t1, e1 and e4 (old versions), e2 (by the later, shorter horizon) and e5 go with
    // their steps; t2 has no horizon and keeps everything.
    const t1 = (rows: { id: string }[]) => rows.map((r) => r.id).filter((id) => id.startsWith('t1-'))
    expect(t1(contents(together.db).executions)).toEqual(['t1-e3', 't1-e6'])
    expect(t1(contents(together.db).steps)).toEqual(['t1-e3-s0', 't1-e6-s0'])
    expect(contents(together.db).executions.length - 2).toBe(EXECUTIONS.length)
    expect(contents(together.db).steps.length - 2).toBe(EXECUTIONS.length)
  })
})
