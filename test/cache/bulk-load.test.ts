import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCacheForWriting, type CacheDb } from '../../src/main/cache/db'
import { CacheWriter } from '../../src/main/cache/sync/apply'
import type { PageRow } from '../../src/main/cache/sync/pull'

/**
 * Issue 14: an initial sync loads first and indexes after. While an empty table is loaded its
 * secondary indexes and search triggers are gone; at the end they are back, the search index is
 * rebuilt from the rows, and an interruption during that build leaves a state the next run finishes.
 */

let dir: string
let db: CacheDb

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-load-'))
  db = openCacheForWriting(join(dir, 'cache.sqlite'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const execution = (xid: number, id: string, error: string | null): PageRow => [
  String(xid), id, 't1', 'w1', 'Nightly', null, null, 'error', null, null, null, error, 12, 1_700_000_000_000 + xid, null, 1_700_000_000_000, 1_700_000_000_000
]
const schemaOf = (table: string) =>
  db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') ORDER BY type, name`).all(table)
const search = (term: string) => db.prepare(`SELECT rowid FROM execution_errors_fts WHERE execution_errors_fts MATCH ?`).pluck().all(term)
const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => execution(from + i, `e${from + i}`, i % 2 ? 'upstream timeout' : 'quota exceeded'))
const cursor = (xid: number) => ({ xid: BigInt(xid), id: null })
/** The search index's in-memory term buffer (FTS5 'hashsize'), 1 MiB unless set, and the sorter's helper threads. */
const buildSettings = () => ({
  hashsize: Number(db.prepare(`SELECT v FROM execution_errors_fts_config WHERE k = 'hashsize'`).pluck().get() ?? 1024 * 1024),
  threads: db.pragma('threads', { simple: true })
})

describe('load first, index after', () => {
  it('drops the secondary indexes and search triggers of an empty table for the load, and brings them back with a rebuilt search index', () => {
    const indexed = schemaOf('executions')
    expect(indexed.filter((o) => (o as { type: string }).type === 'trigger')).toHaveLength(3)
    const writer = new CacheWriter(db)
    expect(writer.beginBulkLoad('executions')).toBe(true)
    // Only the unique key on id (which the upsert needs) is left.
    expect(schemaOf('executions').map((o) => (o as { name: string }).name)).toEqual(['sqlite_autoindex_executions_1'])
    writer.applyTablePage('executions', 't1', page(1, 50), cursor(51), 51n)
    expect(search('timeout')).toEqual([])
    writer.finishBulkLoad('executions')
    expect(schemaOf('executions')).toEqual(indexed)
    expect(search('timeout')).toHaveLength(25)
    // The rebuild's larger term buffer and the build threads are put back for the incremental path.
    expect(buildSettings()).toEqual({ hashsize: 1024 * 1024, threads: 0 })
    db.prepare("INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('integrity-check')").run()
    // Loaded: the next pages go through the triggers (the incremental path).
    expect(writer.beginBulkLoad('executions')).toBe(false)
    writer.applyTablePage('executions', 't1', [execution(60, 'e60', 'upstream timeout')], cursor(61), 61n)
    expect(search('timeout')).toHaveLength(26)
  })

  it('survives an interruption during the index build: nothing half-built, and the next run finishes it', () => {
    const indexed = schemaOf('executions')
    const writer = new CacheWriter(db)
    writer.beginBulkLoad('executions')
    writer.applyTablePage('executions', 't1', page(1, 20), cursor(21), 21n)
    const exec = db.exec.bind(db)
    db.exec = ((sql: string) => {
      if (sql.includes("'rebuild'")) throw new Error('the process died here')
      return exec(sql)
    }) as typeof db.exec
    expect(() => writer.finishBulkLoad('executions')).toThrow('the process died here')
    db.exec = exec
    expect(buildSettings()).toEqual({ hashsize: 1024 * 1024, threads: 0 })
    // Rolled back whole: no index came back, the rows are there, the table is still in bulk mode.
    expect(schemaOf('executions').map((o) => (o as { name: string }).name)).toEqual(['sqlite_autoindex_executions_1'])
    expect(db.prepare('SELECT count(*) FROM executions').pluck().get()).toBe(20)
    const resumed = new CacheWriter(db)
    expect(resumed.beginBulkLoad('executions')).toBe(true)
    resumed.applyTablePage('executions', 't1', page(21, 10), cursor(31), 31n)
    resumed.finishBulkLoad('executions')
    expect(schemaOf('executions')).toEqual(indexed)
    expect(search('quota')).toHaveLength(15)
    db.prepare("INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('integrity-check')").run()
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
