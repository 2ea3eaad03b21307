import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCacheForWriting, type CacheDb } from '../../src/main/cache/db'
import { CacheWriter } from '../../src/main/cache/sync/apply'
import type { PageRow } from '../../src/main/cache/sync/pull'

/**
 * Issue 14: a page pulled again (after a crash, a stopped sync or a repeated window) must not
 * rewrite the rows it already holds; a newer version of a row still replaces it.
 */

let dir: string
let db: CacheDb

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'upsert-skip-'))
  db = openCacheForWriting(join(dir, 'cache.sqlite'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

/** [sync_xid, id, ...the executions columns of TABLE_SPECS], as fetchTablePage returns them. */
const execution = (xid: number, id: string, status: string, error: string | null): PageRow => [
  String(xid), id, 't1', 'w1', 'Nightly', null, null, status, null, null, null, error, 12, 1_700_000_000_000, null, 1_700_000_000_000, 1_700_000_000_000
]
const totalChanges = () => db.prepare('SELECT total_changes()').pluck().get() as number
const cursor = (xid: number) => ({ xid: BigInt(xid), id: null })

describe('the guarded upsert', () => {
  it('skips a version it already holds, so only the cursor is written', () => {
    const writer = new CacheWriter(db)
    writer.applyTablePage('executions', 't1', [execution(10, 'e1', 'error', 'upstream timeout'), execution(11, 'e2', 'success', null)], cursor(12), 12n)
    const before = totalChanges()
    writer.applyTablePage('executions', 't1', [execution(10, 'e1', 'error', 'upstream timeout'), execution(11, 'e2', 'success', null)], cursor(12), 12n)
    // The cursor row is the one write (an upsert of an existing row counts once).
    expect(totalChanges() - before).toBe(1)
  })

  it('replaces a row with a newer version, and never with an older one', () => {
    const writer = new CacheWriter(db)
    writer.applyTablePage('executions', 't1', [execution(10, 'e1', 'running', null)], cursor(11), 11n)
    writer.applyTablePage('executions', 't1', [execution(20, 'e1', 'error', 'quota exceeded')], cursor(21), 21n)
    writer.applyTablePage('executions', 't1', [execution(15, 'e1', 'success', null)], cursor(21), 21n)
    expect(db.prepare(`SELECT status, error_message, sync_xid FROM executions WHERE id = 'e1'`).get()).toEqual({ status: 'error', error_message: 'quota exceeded', sync_xid: 20 })
    expect(db.prepare(`SELECT rowid FROM execution_errors_fts WHERE execution_errors_fts MATCH 'quota'`).pluck().all()).toHaveLength(1)
  })
})

describe('a newer version of a cached row', () => {
  it('writes only the columns that changed, so the indexes and search entries of the others are left alone', () => {
    const writer = new CacheWriter(db)
    writer.applyTablePage('executions', 't1', [execution(10, 'e1', 'error', 'upstream timeout')], cursor(11), 11n)
    // SQLite rewrites an index, and fires an UPDATE OF trigger, only for the columns in the SET list.
    db.exec(`CREATE TABLE written (col TEXT);
             CREATE TRIGGER status_written AFTER UPDATE OF status ON executions BEGIN INSERT INTO written VALUES ('status'); END;
             CREATE TRIGGER started_written AFTER UPDATE OF started_at ON executions BEGIN INSERT INTO written VALUES ('started_at'); END;
             CREATE TRIGGER duration_written AFTER UPDATE OF execution_time_ms ON executions BEGIN INSERT INTO written VALUES ('execution_time_ms'); END;`)
    const longer = execution(20, 'e1', 'error', 'upstream timeout')
    longer[12] = 13
    writer.applyTablePage('executions', 't1', [longer], cursor(21), 21n)
    expect(db.prepare('SELECT col FROM written').pluck().all()).toEqual(['execution_time_ms'])
    writer.applyTablePage('executions', 't1', [execution(30, 'e1', 'success', null)], cursor(31), 31n)
    expect(db.prepare('SELECT col FROM written ORDER BY col').pluck().all()).toEqual(['execution_time_ms', 'execution_time_ms', 'status'])
    expect(db.prepare(`SELECT status, error_message, execution_time_ms, sync_xid FROM executions WHERE id = 'e1'`).get()).toEqual({ status: 'success', error_message: null, execution_time_ms: 12, sync_xid: 30 })
    expect(db.prepare(`SELECT rowid FROM execution_errors_fts WHERE execution_errors_fts MATCH 'upstream'`).pluck().all()).toHaveLength(0)
  })
})
