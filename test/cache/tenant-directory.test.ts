import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openCacheForWriting, type CacheDb } from '../../src/main/cache/db'
import { CacheWriter } from '../../src/main/cache/sync/apply'

/**
 * Issue 14: every sync reads the tenant directory whole, and the cache rewrites it only when it
 * changed (at 10,000 tenants the rewrite cost 54 ms of each sync) — never keeping a stale copy.
 */

let dir: string
let db: CacheDb
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenant-directory-'))
  db = openCacheForWriting(join(dir, 'cache.sqlite'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const row = (id: string, name: string) => [id, `slug-${id}`, name, 'active', 'starter', null, 1000, 500]
const names = () => db.prepare('SELECT id, name FROM tenant_directory ORDER BY id').raw(true).all()
const writes = () => db.prepare('SELECT total_changes()').pluck().get() as number

it('skips an unchanged directory, writes a changed one, and writes again after the tenant set changed', () => {
  const writer = new CacheWriter(db)
  writer.replaceTenantDirectory(['a', 'b'], [row('a', 'Acme'), row('b', 'Beta'), row('c', 'not held')])
  expect(names()).toEqual([['a', 'Acme'], ['b', 'Beta']])

  const before = writes()
  writer.replaceTenantDirectory(['a', 'b'], [row('a', 'Acme'), row('b', 'Beta')])
  expect(writes() - before, 'same rows: nothing written').toBe(0)

  writer.replaceTenantDirectory(['a', 'b'], [row('a', 'Acme Corp'), row('b', 'Beta')])
  expect(names()).toEqual([['a', 'Acme Corp'], ['b', 'Beta']])

  // The tenant set changes (b lost) and its row goes; the same rows then come back: written again.
  writer.replaceTenantSet(['b'], ['a'])
  writer.replaceTenantSet([], ['a', 'b'])
  writer.replaceTenantDirectory(['a', 'b'], [row('a', 'Acme Corp'), row('b', 'Beta')])
  expect(names()).toEqual([['a', 'Acme Corp'], ['b', 'Beta']])
})
