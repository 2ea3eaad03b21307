import Database from 'better-sqlite3'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { RpcError } from '../../shared/rpc/errors'
import { CACHE_MIGRATIONS } from './migrations'

export type CacheDb = Database.Database

/** Profile ids become file names: anything else could escape the cache directory. */
const PROFILE_ID = /^[A-Za-z0-9_-]{1,64}$/

export function cacheFilePath(dataDir: string, profileId: string): string {
  if (!PROFILE_ID.test(profileId)) {
    throw new RpcError('BAD_INPUT', 'A connection profile id may hold only letters, digits, "-" and "_" (1 to 64).')
  }
  return join(dataDir, 'cache', `${profileId}.sqlite`)
}

/**
 * The one write connection (owned by the sync worker). Pragmas are set here once: WAL so screens
 * read while the worker writes, NORMAL sync (a crash loses at most the last commits, never
 * consistency), a bounded WAL so a long initial sync does not leave a huge -wal file behind, and
 * secure_delete so purged tenants' rows do not linger in free pages.
 */
export function openCacheForWriting(file: string): CacheDb {
  mkdirSync(join(file, '..'), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('secure_delete = ON')
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`)
  db.pragma('busy_timeout = 5000')
  migrateCache(db)
  return db
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

/** Removing a connection profile removes everything it cached, WAL and shared memory included. */
export function deleteCache(dataDir: string, profileId: string): void {
  const file = cacheFilePath(dataDir, profileId)
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
}
