import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { RpcError } from '../../shared/rpc/errors'
import { CACHE_MIGRATIONS } from './migrations'

export type CacheDb = Database.Database

/**
 * Whose rows a cache holds: row-level security decided them for this role on this server's
 * database, so only a connection with the same three may see them. Two DATABASE_URLs, or two
 * profiles, with other roles never share a file.
 */
export interface CacheIdentity {
  /** host:port, or a fixed name for the embedded demo server (its port changes at every start). */
  server: string
  database: string
  role: string
}

export function cacheIdentity(login: { host: string; port: number; database: string; user: string }): CacheIdentity {
  return { server: `${login.host.toLowerCase()}:${login.port}`, database: login.database, role: login.user }
}

/** A digest names the file: host names, databases and roles may hold characters no file name may. */
export function cacheFilePath(dataDir: string, identity: CacheIdentity): string {
  const digest = createHash('sha256').update(JSON.stringify([identity.server, identity.database, identity.role])).digest('hex')
  return join(dataDir, 'cache', `${digest.slice(0, 32)}.sqlite`)
}

const CACHE_FILE_SUFFIXES = ['', '-wal', '-shm']
const LOGIN_CACHE_FILE = /^[0-9a-f]{32}\.sqlite(-wal|-shm)?$/

/**
 * Run when the console starts, before anything syncs: the folder becomes private even if this
 * start stays offline, and caches of older consoles go. Those were named by connection id, not by
 * login (server, database, role), so whose rows they hold cannot be told; a sync refills them.
 */
export function prepareCacheFolder(dataDir: string): void {
  const dir = join(dataDir, 'cache')
  makePrivateFolder(dir)
  for (const name of readdirSync(dir)) {
    if (/\.sqlite(-wal|-shm)?$/.test(name) && !LOGIN_CACHE_FILE.test(name)) rmSync(join(dir, name), { force: true })
  }
}

/** mkdir's mode applies only to a folder it creates: an existing one is tightened as well. */
function makePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

/**
 * The cache holds tenants' executions and audit rows: other accounts of the machine must not read
 * them, whatever the data directory's mode (it is 0755 when the embedded server runs as
 * 'postgres'). The folder is 0700 and the database file is created 0600 before SQLite opens it;
 * SQLite gives its -wal and -shm files the database file's mode. Existing files are tightened too.
 */
function makePrivate(file: string): void {
  makePrivateFolder(dirname(file))
  closeSync(openSync(file, 'a', 0o600))
  for (const suffix of CACHE_FILE_SUFFIXES) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600)
}

/**
 * The one write connection (owned by the sync worker). Pragmas are set here once: WAL so screens
 * read while the worker writes, NORMAL sync (a crash loses at most the last commits, never
 * consistency), a bounded WAL so a long initial sync does not leave a huge -wal file behind, and
 * secure_delete so purged tenants' rows do not linger in free pages.
 */
export function openCacheForWriting(file: string): CacheDb {
  makePrivate(file)
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('secure_delete = ON')
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`)
  db.pragma(`wal_autocheckpoint = ${COMMIT_CHECKPOINT_PAGES}`)
  db.pragma('busy_timeout = 5000')
  migrateCache(db)
  return db
}

/**
 * WAL pages past which a commit checkpoints on its own (SQLite's default is 1,000). A sync of
 * 1,000 changed rows of a large table writes about 1,050 pages, all on different leaves, and copying
 * them into the database file took 17-18 ms of that sync's 60 (bench/cache.ts, a million
 * executions). The sync worker checkpoints once a sync has reported instead (checkpointWhenIdle);
 * this bound only caps the WAL during a long initial sync: 16 MiB between checkpoints.
 */
const COMMIT_CHECKPOINT_PAGES = 4096

/**
 * Copies the WAL into the database file once a sync has committed and reported: its rows are
 * visible (readers see the WAL) before this runs, so the copy no longer delays them. PASSIVE: it
 * never waits for a reader and copies what no open read still needs; the next call takes the rest.
 */
export function checkpointWhenIdle(db: CacheDb): void {
  db.pragma('wal_checkpoint(PASSIVE)')
}

/** Screens read through these; query_only makes an accidental write fail instead of racing the worker. */
export function openCacheForReading(file: string): CacheDb {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  db.pragma('query_only = ON')
  return db
}

export function cacheVersion(db: CacheDb): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Applies the numbered migrations above the file's user_version, each with its version bump in
 * one transaction, so a crash leaves the file at a whole version. A file from a newer console is
 * refused rather than guessed at.
 */
export function migrateCache(db: CacheDb, target = CACHE_MIGRATIONS.length): number[] {
  const current = cacheVersion(db)
  if (current > CACHE_MIGRATIONS.length) {
    throw new RpcError('SCHEMA_TOO_NEW', `This cache was written by a newer console (cache version ${current}); delete the cache to start over.`)
  }
  const applied: number[] = []
  for (let version = current + 1; version <= target; version++) {
    const migration = CACHE_MIGRATIONS[version - 1]!
    db.transaction(() => {
      db.exec(migration.sql)
      db.pragma(`user_version = ${version}`)
    })()
    applied.push(version)
  }
  return applied
}

/**
 * After rows were purged (tenants the operator lost): secure_delete zeroes deleted cells, but
 * B-tree rebalancing leaves copies in unallocated page space and in index dividers, FTS5 keeps
 * deleted rows' terms until its segments merge, and the WAL keeps earlier page images until it is
 * overwritten, long after the console closed. Merging the search indexes, rebuilding the file
 * (VACUUM; FTS rowids are INTEGER PRIMARY KEY aliases, which it keeps) and a truncating checkpoint
 * take those bytes off the disk. Returns false when a reader kept the WAL from being truncated.
 */
export function scrubPurgedRows(db: CacheDb): boolean {
  db.exec(`INSERT INTO audit_fts (audit_fts) VALUES ('optimize');
           INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('optimize');
           VACUUM;`)
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
  return result?.busy === 0
}

/** Removing a cache removes everything it held, WAL and shared memory included. */
export function deleteCache(file: string): void {
  for (const suffix of CACHE_FILE_SUFFIXES) rmSync(file + suffix, { force: true })
}
