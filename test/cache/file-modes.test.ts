import Database from 'better-sqlite3'
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cacheFilePath, cacheIdentity, migrateCache, openCacheForWriting, type CacheDb } from '../../src/main/cache/db'

const isRoot = process.getuid?.() === 0
const MARKER = `tenant-row-${Date.now().toString(36)}`

/** Another account of the machine: 'nobody', reached by spawning as it (which needs root). */
function asNobody(command: string, args: string[]): { status: number | null; stdout: string } {
  const ids = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim())
  const run = spawnSync(command, args, { uid: ids('-u'), gid: ids('-g'), encoding: 'utf8' })
  return { status: run.status, stdout: run.stdout }
}

const mode = (path: string) => statSync(path).mode & 0o777

// Without root the test cannot act as another account; say so instead of passing silently.
describe.skipIf(!isRoot)('offline cache files, as another account of the machine (needs root to switch to "nobody")', () => {
  let dataDir: string
  let file: string
  const open: CacheDb[] = []

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'avc-modes-'))
    // What locateCluster does for the embedded server as root: the data directory is 0755.
    chmodSync(dataDir, 0o755)
    file = cacheFilePath(dataDir, cacheIdentity({ host: '127.0.0.1', port: 5432, database: 'avia', user: 'ana' }))
  })
  afterEach(() => {
    for (const db of open.splice(0)) db.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  function writeMarker(db: CacheDb): void {
    db.prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?)').run('marker', MARKER)
  }
  function expectPrivate(): void {
    expect(mode(dirname(file))).toBe(0o700)
    for (const suffix of ['', '-wal', '-shm']) {
      expect(existsSync(file + suffix), suffix).toBe(true)
      expect(mode(file + suffix), `cache${suffix}`).toBe(0o600)
    }
    // The other account can enter the data directory (the embedded server needs that) but no further.
    expect(asNobody('ls', [dataDir]).status).toBe(0)
    expect(asNobody('ls', [dirname(file)]).status).not.toBe(0)
    for (const suffix of ['', '-wal', '-shm']) {
      const read = asNobody('cat', [file + suffix])
      expect(read.status, `cache${suffix}`).not.toBe(0)
      expect(read.stdout).not.toContain(MARKER)
    }
  }

  it('a new cache: folder 0700, database, WAL and shared memory 0600, unreadable by "nobody"', () => {
    const db = openCacheForWriting(file)
    open.push(db)
    writeMarker(db)
    expectPrivate()
  })

  it('a cache an older console left world-readable is made private when it is opened', () => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 })
    chmodSync(dirname(file), 0o755)
    const old = new Database(file)
    old.pragma('journal_mode = WAL')
    migrateCache(old)
    writeMarker(old)
    open.push(old)
    for (const suffix of ['', '-wal', '-shm']) chmodSync(file + suffix, 0o644)
    expect(asNobody('cat', [file + '-wal']).stdout).toContain(MARKER) // the test can see a leak

    open.push(openCacheForWriting(file))
    expectPrivate()
  })
})
