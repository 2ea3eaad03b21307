import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { cacheFilePath, cacheIdentity, cacheVersion, deleteCache, migrateCache, openCacheForReading, openCacheForWriting, prepareCacheFolder, type CacheDb } from '../../src/main/cache/db'
import { CACHE_MIGRATIONS, REBUILD_USAGE_SUMMARIES } from '../../src/main/cache/migrations'
import { toFtsQuery } from '../../src/main/reads/cache-sql'
import { searchTerms } from '../../src/main/reads/search-terms'

let dir: string
let file: string
const open: CacheDb[] = []

function rawCache(): CacheDb {
  const db = new Database(file)
  open.push(db)
  return db
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cache-migrations-'))
  file = join(dir, 'cache.sqlite')
})
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})

const columns = (db: CacheDb, table: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[])

const execution = (id: string, rid: number, errorMessage: string | null) => ({
  rid, id, tenant: 't1', wf: 'w1', status: 'error', error: errorMessage, started: 1_700_000_000_000 + rid, xid: 10
})
const insertExecution = (db: CacheDb, e: ReturnType<typeof execution>) =>
  db
    .prepare(
      `INSERT INTO executions (rid, id, tenant_id, workflow_id, status, error_message, started_at, created_at, updated_at, sync_xid)
       VALUES (@rid, @id, @tenant, @wf, @status, @error, @started, @started, @started, @xid)`
    )
    .run(e)
const insertAudit = (db: CacheDb, id: string, newValues: string) =>
  db
    .prepare(
      `INSERT INTO audit_logs (id, seq, tenant_id, actor, action, resource_type, new_values, created_at, sync_xid)
       VALUES (?, 1, 't1', 'alice', 'UPDATE', 'tenants', ?, 1700000000000, 10)`
    )
    .run(id, newValues)

describe('cache migration 1: synced tables and sync state', () => {
  it('creates the synced tables with their sync_xid and the cursor and meta tables', () => {
    const db = rawCache()
    expect(migrateCache(db, 1)).toEqual([1])
    expect(cacheVersion(db)).toBe(1)
    for (const table of ['executions', 'execution_steps', 'audit_logs', 'usage_records']) expect(columns(db, table)).toContain('sync_xid')
    expect(columns(db, 'daily_usage_summary')).toEqual(
      expect.arrayContaining(['tenant_id', 'usage_type', 'usage_date', 'total_quantity', 'total_amount', 'record_count'])
    )
    expect(columns(db, 'sync_cursors')).toEqual(['table_name', 'tenant_id', 'last_xid', 'last_id', 'watermark', 'synced_at'])
    // One cursor per stream and tenant.
    const cursor = db.prepare('INSERT INTO sync_cursors VALUES (?, ?, 1, NULL, 1, 0)')
    cursor.run('executions', 't1')
    expect(() => cursor.run('executions', 't1')).toThrow(/UNIQUE/)
  })

  it('refuses a row without a tenant', () => {
    const db = rawCache()
    migrateCache(db, 1)
    expect(() => insertExecution(db, { ...execution('e1', 1, null), tenant: null as unknown as string })).toThrow(/NOT NULL/)
  })
})

describe('cache migration 2: indexes for the screens', () => {
  it('serves a filtered newest-first list from an index, without sorting', () => {
    const db = rawCache()
    migrateCache(db, 2)
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n')
    const executions = plan("SELECT id FROM executions WHERE tenant_id = 't' ORDER BY started_at DESC, rid DESC LIMIT 50")
    expect(executions).toMatch(/executions_by_tenant/)
    expect(executions).not.toMatch(/TEMP B-TREE/)
    const audit = plan("SELECT id FROM audit_logs WHERE actor = 'a' ORDER BY created_at DESC, rid DESC LIMIT 50")
    expect(audit).toMatch(/audit_by_actor/)
    expect(audit).not.toMatch(/TEMP B-TREE/)
  })
})

describe('cache migration 3: full-text search', () => {
  const search = (db: CacheDb, fts: string, term: string) =>
    db.prepare(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? ORDER BY rowid`).pluck().all(term)

  it('indexes the rows cached before it', () => {
    const db = rawCache()
    migrateCache(db, 2)
    insertExecution(db, execution('e1', 1, 'upstream timeout from webhook'))
    insertAudit(db, 'a1', '{"plan": "enterprise"}')
    migrateCache(db)
    expect(search(db, 'execution_errors_fts', 'timeout')).toEqual([1])
    expect(search(db, 'audit_fts', 'enterprise')).toHaveLength(1)
  })

  it('follows inserts, updates and deletes of the base tables', () => {
    const db = rawCache()
    migrateCache(db)
    insertExecution(db, execution('e1', 1, 'upstream timeout'))
    insertExecution(db, execution('e2', 2, null))
    db.prepare("UPDATE executions SET error_message = 'quota exceeded' WHERE id = 'e1'").run()
    db.prepare("UPDATE executions SET error_message = 'bad credentials' WHERE id = 'e2'").run()
    expect(search(db, 'execution_errors_fts', 'timeout')).toEqual([])
    expect(search(db, 'execution_errors_fts', 'quota')).toEqual([1])
    expect(search(db, 'execution_errors_fts', 'credentials')).toEqual([2])
    insertAudit(db, 'a1', '{"plan": "enterprise"}')
    db.prepare(`UPDATE audit_logs SET new_values = '{"plan": "starter"}' WHERE id = 'a1'`).run()
    expect(search(db, 'audit_fts', 'enterprise')).toEqual([])
    expect(search(db, 'audit_fts', 'starter')).toHaveLength(1)
    db.prepare("DELETE FROM audit_logs WHERE id = 'a1'").run()
    db.prepare("DELETE FROM executions WHERE id = 'e1'").run()
    expect(search(db, 'audit_fts', 'starter')).toEqual([])
    expect(search(db, 'execution_errors_fts', 'quota')).toEqual([])
    // FTS5 compares its index with the content table and throws on any difference.
    db.prepare("INSERT INTO audit_fts (audit_fts) VALUES ('integrity-check')").run()
    db.prepare("INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('integrity-check')").run()
  })
})

describe('cache migration 4: search entries rewritten only when their text changed', () => {
  const totalChanges = (db: CacheDb) => db.prepare('SELECT total_changes()').pluck().get() as number
  /** Rows written (base row plus whatever its triggers write) by an update that leaves the error text as it was. */
  const writesOfStatusChange = (db: CacheDb) => {
    insertExecution(db, execution('e1', 1, 'upstream timeout'))
    const before = totalChanges(db)
    db.prepare("UPDATE executions SET status = 'crashed', error_message = 'upstream timeout' WHERE id = 'e1'").run()
    return totalChanges(db) - before
  }

  it('leaves the search index alone when an update keeps the text, and follows a changed text', () => {
    const withoutIt = new Database(join(dir, 'version-3.sqlite'))
    open.push(withoutIt)
    migrateCache(withoutIt, 3)
    // Migration 3 alone: the base row, and the search index's own rows for forgetting and re-adding the same text.
    expect(writesOfStatusChange(withoutIt)).toBeGreaterThan(1)

    const db = rawCache()
    migrateCache(db)
    expect(writesOfStatusChange(db)).toBe(1)
    db.prepare("UPDATE executions SET error_message = 'quota exceeded' WHERE id = 'e1'").run()
    expect(db.prepare(`SELECT rowid FROM execution_errors_fts WHERE execution_errors_fts MATCH 'quota'`).pluck().all()).toEqual([1])
    insertAudit(db, 'a1', '{"plan": "enterprise"}')
    const before = totalChanges(db)
    db.prepare(`UPDATE audit_logs SET new_values = '{"plan": "enterprise"}', actor = 'bob' WHERE id = 'a1'`).run()
    expect(totalChanges(db) - before).toBe(1)
    db.prepare("INSERT INTO audit_fts (audit_fts) VALUES ('integrity-check')").run()
    db.prepare("INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('integrity-check')").run()
  })
})

describe('opening a cache', () => {
  it('sets the pragmas once at open and migrates to the newest version', () => {
    const db = openCacheForWriting(file)
    open.push(db)
    expect(cacheVersion(db)).toBe(CACHE_MIGRATIONS.length)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('secure_delete', { simple: true })).toBe(1)
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(64 * 1024 * 1024)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    // Reopening applies nothing twice.
    expect(migrateCache(db)).toEqual([])
  })

  it('refuses a cache written by a newer console and leaves it untouched', () => {
    const db = rawCache()
    db.pragma(`user_version = ${CACHE_MIGRATIONS.length + 1}`)
    db.close()
    expect(() => openCacheForWriting(file)).toThrow(expect.objectContaining({ code: 'SCHEMA_TOO_NEW' }))
    const after = rawCache()
    expect(cacheVersion(after)).toBe(CACHE_MIGRATIONS.length + 1)
    expect(after.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'executions'").pluck().get()).toBe(0)
  })

  it('rolls a failing migration back whole, version included', () => {
    const db = rawCache()
    migrateCache(db, 2)
    db.exec('CREATE TABLE audit_fts (x)') // makes migration 3 fail halfway
    expect(() => migrateCache(db)).toThrow(/already exists/)
    expect(cacheVersion(db)).toBe(2)
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'execution_errors_fts'").pluck().get()).toBe(0)
  })

  it('gives screens a connection that cannot write', () => {
    open.push(openCacheForWriting(file))
    const reader = openCacheForReading(file)
    open.push(reader)
    expect(reader.prepare('SELECT count(*) FROM executions').pluck().get()).toBe(0)
    expect(() => reader.prepare("INSERT INTO sync_meta VALUES ('k', 'v')").run()).toThrow(/readonly|read-only|query_only/i)
  })

  it('at start, makes the cache folder private and removes caches named by connection id (their login is unknown)', () => {
    const folder = join(dir, 'cache')
    mkdirSync(folder, { mode: 0o755 })
    chmodSync(folder, 0o755)
    const kept = cacheFilePath(dir, cacheIdentity({ host: 'db', port: 5432, database: 'avia', user: 'ana' }))
    const legacy = ['env.sqlite', 'env.sqlite-wal', 'env.sqlite-shm', 'demo.sqlite', '0b7c2a4e-6d0f-4a51-9f7e-0c6b1d2e3f40.sqlite']
    for (const name of [...legacy, basename(kept), `${basename(kept)}-wal`, 'notes.txt']) writeFileSync(join(folder, name), 'x')
    prepareCacheFolder(dir)
    expect(statSync(folder).mode & 0o777).toBe(0o700)
    expect(readdirSync(folder).sort()).toEqual([basename(kept), `${basename(kept)}-wal`, 'notes.txt'].sort())
  })

  it('keeps every login in its own file under the data directory, and deletes it whole', () => {
    const login = { host: 'DB.example.net', port: 5432, database: 'avia', user: 'ana' }
    const path = cacheFilePath(dir, cacheIdentity(login))
    expect(dirname(path)).toBe(join(dir, 'cache'))
    expect(basename(path)).toMatch(/^[0-9a-f]{32}\.sqlite$/)
    expect(cacheFilePath(dir, cacheIdentity({ ...login, host: 'db.example.net' }))).toBe(path)
    const others = [{ ...login, port: 5433 }, { ...login, database: 'avia2' }, { ...login, user: 'bruno' }, { ...login, host: '../escape' }]
    expect(new Set([path, ...others.map((other) => cacheFilePath(dir, cacheIdentity(other)))]).size).toBe(5)
    const db = openCacheForWriting(path)
    db.prepare("INSERT INTO sync_meta VALUES ('k', 'v')").run()
    expect(existsSync(`${path}-wal`)).toBe(true)
    db.close()
    writeFileSync(`${path}-shm`, '')
    deleteCache(path)
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(path + suffix)).toBe(false)
  })
})

describe('cache migration 5: usage analytics', () => {
  it('keys the daily rollup by currency too, so two currencies of one day no longer overwrite each other', () => {
    const db = rawCache()
    migrateCache(db, 4)
    const summary = (currency: string) => ['t1', 'executions', '2026-04-10', currency, 10, '10', 10_000_000, 1, 0, 0]
    const oldInsert = db.prepare('INSERT OR REPLACE INTO daily_usage_summary (tenant_id, usage_type, usage_date, total_quantity, total_amount, record_count, first_record, last_record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    oldInsert.run('t1', 'executions', '2026-04-10', 10, '10', 1, 0, 0)
    oldInsert.run('t1', 'executions', '2026-04-10', 10, '10', 1, 0, 0)
    // Before: one row for the day, whatever the currency (the gap this migration closes).
    expect(db.prepare('SELECT count(*) FROM daily_usage_summary').pluck().get()).toBe(1)
    db.prepare("INSERT INTO usage_records (id, tenant_id, usage_type, quantity, period_start, period_end, recorded_at, sync_xid) VALUES ('u1', 't1', 'storage', 1, 0, 0, 0, 5)").run()
    db.prepare("INSERT INTO sync_cursors VALUES ('usage_records', 't1', 5, NULL, 5, 0), ('executions', 't1', 5, NULL, 5, 0)").run()
    db.prepare("INSERT INTO sync_meta VALUES ('shape:usage_records', '{}'), ('shape:executions', '{}')").run()

    expect(migrateCache(db, 5)).toEqual([5])
    const insert = db.prepare('INSERT INTO daily_usage_summary VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    insert.run(...summary('EUR'))
    insert.run(...summary('USD'))
    expect(() => insert.run(...summary('USD'))).toThrow(/UNIQUE/)
    expect(db.prepare('SELECT currency, amount_micros FROM daily_usage_summary ORDER BY currency').all()).toEqual([
      { currency: 'EUR', amount_micros: 10_000_000 },
      { currency: 'USD', amount_micros: 10_000_000 }
    ])
    // Records are pulled again with their currency; other tables keep their rows and cursors.
    expect(columns(db, 'usage_records')).toContain('currency')
    expect(db.prepare('SELECT count(*) FROM usage_records').pluck().get()).toBe(0)
    expect(db.prepare('SELECT table_name FROM sync_cursors').pluck().all()).toEqual(['executions'])
    expect(db.prepare("SELECT key FROM sync_meta WHERE key LIKE 'shape:%'").pluck().all()).toEqual(['shape:executions'])
    for (const table of ['usage_tenants', 'usage_subscriptions', 'usage_price_book', 'usage_unit_prices', 'usage_limits', 'usage_currencies']) expect(columns(db, table).length).toBeGreaterThan(0)
  })
})

describe('cache migration 6: conversations', () => {
  it('adds the synced conversations, listed per session and found per person (what an erasure drops) from an index', () => {
    const db = rawCache()
    migrateCache(db, 5)
    expect(migrateCache(db, 6)).toEqual([6])
    expect(columns(db, 'conversations')).toEqual(expect.arrayContaining(['id', 'tenant_id', 'session_id', 'user_id', 'message', 'response', 'created_at', 'sync_xid']))
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n')
    expect(plan("SELECT id FROM conversations WHERE tenant_id = 't' AND session_id = 's' ORDER BY created_at")).toMatch(/conversations_by_session/)
    expect(plan("SELECT id FROM conversations WHERE tenant_id = 't' AND user_id = 'web:x'")).toMatch(/conversations_by_user/)
    expect(() => db.prepare("INSERT INTO conversations (id, created_at, sync_xid) VALUES ('c1', 1, 1)").run()).toThrow(/NOT NULL/)
  })
})

describe('cache migration 7: tenant directory fields', () => {
  it('keeps one row per tenant with its name, status, plan and limits, listed by name from an index', () => {
    const db = rawCache()
    migrateCache(db, 6)
    expect(migrateCache(db, 7)).toEqual([7])
    expect(columns(db, 'tenant_directory')).toEqual(['id', 'slug', 'name', 'status', 'plan', 'industry', 'agent_usage_limit', 'storage_limit_mb'])
    const insert = db.prepare('INSERT INTO tenant_directory VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    insert.run('t1', 'acme', 'Acme', 'active', 'pro', null, 1000, 500)
    expect(() => insert.run('t1', 'acme', 'Acme 2', null, null, null, null, null)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => insert.run('t2', 'nameless', null, null, null, null, null, null)).toThrow(/NOT NULL/)
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT id FROM tenant_directory ORDER BY name COLLATE NOCASE, id").all() as { detail: string }[]).map((r) => r.detail).join('\n')
    expect(plan).toMatch(/tenant_directory_by_name/)
    expect(plan).not.toMatch(/TEMP B-TREE/)
  })
})

describe('cache migration 8: usage summaries for the overview', () => {
  it('summarizes the cached rollup by ISO week, month and platform day, and the sync rebuilds them the same way', () => {
    const db = rawCache()
    migrateCache(db, 7)
    const insert = db.prepare('INSERT INTO daily_usage_summary VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    // 2026-03-01 is a Sunday: its ISO week starts on Monday 2026-02-23; 2026-03-02 starts the next.
    const day = (tenant: string, date: string, currency: string, quantity: number, micros: number) => insert.run(tenant, 'ai_calls', date, currency, quantity, '0', micros, 1, 0, 0)
    day('t1', '2026-02-28', 'EUR', 1, 10)
    day('t1', '2026-03-01', 'EUR', 2, 20)
    day('t1', '2026-03-02', 'EUR', 4, 40)
    day('t2', '2026-03-02', 'EUR', 8, 80)
    day('t2', '2026-03-02', 'USD', 16, 160)

    expect(migrateCache(db, 8)).toEqual([8])
    const blocks = () => db.prepare('SELECT span, starts, tenant_id, currency, total_quantity AS q, amount_micros AS a FROM usage_blocks ORDER BY 1, 2, 3, 4').all()
    const platform = () => db.prepare('SELECT usage_date, currency, total_quantity AS q, amount_micros AS a FROM usage_platform_days ORDER BY 1, 2').all()
    const expected = [
      { span: 'month', starts: '2026-02-01', tenant_id: 't1', currency: 'EUR', q: 1, a: 10 },
      { span: 'month', starts: '2026-03-01', tenant_id: 't1', currency: 'EUR', q: 6, a: 60 },
      { span: 'month', starts: '2026-03-01', tenant_id: 't2', currency: 'EUR', q: 8, a: 80 },
      { span: 'month', starts: '2026-03-01', tenant_id: 't2', currency: 'USD', q: 16, a: 160 },
      { span: 'week', starts: '2026-02-23', tenant_id: 't1', currency: 'EUR', q: 3, a: 30 },
      { span: 'week', starts: '2026-03-02', tenant_id: 't1', currency: 'EUR', q: 4, a: 40 },
      { span: 'week', starts: '2026-03-02', tenant_id: 't2', currency: 'EUR', q: 8, a: 80 },
      { span: 'week', starts: '2026-03-02', tenant_id: 't2', currency: 'USD', q: 16, a: 160 }
    ]
    expect(blocks()).toEqual(expected)
    // Per currency, never mixed: 12 EUR and 16 USD on the 2nd.
    expect(platform()).toEqual([
      { usage_date: '2026-02-28', currency: 'EUR', q: 1, a: 10 },
      { usage_date: '2026-03-01', currency: 'EUR', q: 2, a: 20 },
      { usage_date: '2026-03-02', currency: 'EUR', q: 12, a: 120 },
      { usage_date: '2026-03-02', currency: 'USD', q: 16, a: 160 }
    ])
    db.exec(REBUILD_USAGE_SUMMARIES)
    expect(blocks()).toEqual(expected)
    expect(() => db.prepare("INSERT INTO usage_blocks VALUES ('day', '2026-03-02', 't1', 'ai_calls', 'EUR', 1, 1)").run()).toThrow(/CHECK/)
  })
})

const search = (db: CacheDb, fts: string, query: string) => db.prepare(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? ORDER BY rowid`).pluck().all(query)

/** After a search index is rebuilt by a migration: rows written, changed and deleted since stay exactly indexed. */
function expectTriggersKeepSearchExact(db: CacheDb): void {
  insertAudit(db, 'a2', '{"plan": "starter"}')
  db.prepare("UPDATE executions SET error_message = 'quota exceeded' WHERE id = 'e1'").run()
  db.prepare("DELETE FROM audit_logs WHERE id = 'a1'").run()
  expect(search(db, 'audit_fts', 'enterprise')).toEqual([])
  expect(search(db, 'audit_fts', 'starter')).toHaveLength(1)
  expect(search(db, 'execution_errors_fts', 'timeout')).toEqual([])
  expect(search(db, 'execution_errors_fts', 'quota')).toEqual([1])
  db.prepare("INSERT INTO audit_fts (audit_fts) VALUES ('integrity-check')").run()
  db.prepare("INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('integrity-check')").run()
}

describe('cache migration 9: search indexes without per-row sizes', () => {
  const tables = (db: CacheDb) => db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%fts%' ORDER BY name").pluck().all()

  it('keeps no size table, still finds the rows cached before it, and its triggers keep it exact', () => {
    const db = rawCache()
    migrateCache(db, 8)
    expect(tables(db)).toContain('audit_fts_docsize')
    insertExecution(db, execution('e1', 1, 'upstream timeout'))
    insertAudit(db, 'a1', '{"plan": "enterprise"}')
    migrateCache(db, 9)
    expect(tables(db)).not.toContain('audit_fts_docsize')
    expect(tables(db)).not.toContain('execution_errors_fts_docsize')
    expect(search(db, 'execution_errors_fts', 'timeout')).toEqual([1])
    expect(search(db, 'audit_fts', 'enterprise')).toHaveLength(1)
    expectTriggersKeepSearchExact(db)
  })
})

describe('cache migration 10: search indexes without token positions', () => {
  it('finds the rows cached before it by word and prefix, keeps no positions, and its triggers keep it exact', () => {
    const db = rawCache()
    migrateCache(db, 9)
    insertExecution(db, execution('e1', 1, 'upstream timeout'))
    insertAudit(db, 'a1', '{"plan_id": "enterprise"}')
    // Before: positions, so a phrase of two tokens could be asked for.
    expect(search(db, 'audit_fts', '"plan id"')).toHaveLength(1)
    migrateCache(db, 10)
    expect(() => search(db, 'audit_fts', '"plan id"')).toThrow(/phrase queries are not supported/)
    expect(() => search(db, 'execution_errors_fts', '"upstream timeout"')).toThrow(/phrase queries are not supported/)
    expect(search(db, 'execution_errors_fts', 'timeout')).toEqual([1])
    expect(search(db, 'audit_fts', '"plan" "id" "enter"*')).toHaveLength(1)
    expectTriggersKeepSearchExact(db)
  })

  it('reads every word a search may hold as one token, so no search becomes a phrase it would refuse', () => {
    const db = rawCache()
    migrateCache(db)
    // New Tai Lue, written without spaces: U+19B0 is a vowel sign to SQLite's Unicode 6.1 tables, a letter to JavaScript.
    const taiLue = '\u1980\u19b0\u1980'
    insertAudit(db, 'a1', JSON.stringify({ note: taiLue }))
    expect(search(db, 'audit_fts', toFtsQuery(taiLue)!)).toHaveLength(1)
    const split: string[] = []
    const probe = db.prepare('SELECT rowid FROM audit_fts WHERE audit_fts MATCH ? LIMIT 1')
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue
      const word = `a${String.fromCodePoint(cp)}b`
      if (searchTerms(word).length !== 1) continue
      try {
        probe.get(toFtsQuery(word))
      } catch {
        split.push(`U+${cp.toString(16).toUpperCase()}`)
      }
    }
    expect(split).toEqual([])
  })
})
