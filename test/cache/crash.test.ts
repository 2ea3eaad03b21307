import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { openCacheForWriting } from '../../src/main/cache/db'
import { syncOnce } from '../../src/main/cache/sync/engine'
import { createDatabase } from '../../src/main/db/database'
import type { CommittedPage } from './kill-child'
import { cacheDigests, openSyncScene, serverDigests, waitForWatermark, type SyncScene } from './fixtures'

const testDb = inject('db')
const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url))
let scene: SyncScene

beforeAll(async () => {
  const volume = { executions: 1500, auditLogs: 1500, usageRecords: 200 }
  scene = await openSyncScene(testDb, { volumes: [volume, volume], dirPrefix: 'cache-crash-' })
})

afterAll(() => scene?.close())

/** Runs the child until it has reported `pages` committed pages, then SIGKILLs it mid-write. */
function syncAndKill(pages: number): Promise<{ reported: CommittedPage[]; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
    const reported: CommittedPage[] = []
    let finished = false
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    child.on('message', (message: CommittedPage | 'finished') => {
      if (message === 'finished') finished = true
      else reported.push(message)
      // A few milliseconds later, so the kill lands anywhere in the next page: fetch or write.
      if (reported.length === pages) setTimeout(() => child.kill('SIGKILL'), (pages * 7) % 25)
    })
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || finished) resolve({ reported, finished })
      else reject(new Error(`the sync child exited with ${code}: ${stderr}`))
    })
    child.send({ connection: scene.operator.connection, cacheFile: scene.cacheFile, pageSize: 50 })
  })
}

/** Server ids of a stream at or before a committed cursor: the cache must hold every one of them. */
async function serverIdsUpTo(page: CommittedPage): Promise<string[]> {
  const { rows } = await scene.admin.query<{ id: string }>(
    `SELECT id::text FROM ${page.table} WHERE tenant_id = ANY($1::uuid[]) AND (sync_xid < $2::xid8 OR (sync_xid = $2::xid8 AND id <= $3::uuid))`,
    [page.tenantId === '*' ? scene.tenants : [page.tenantId], page.lastXid, page.lastId ?? '00000000-0000-0000-0000-000000000000']
  )
  return rows.map((r) => r.id)
}

describe('a sync process killed with SIGKILL in the middle of a write', () => {
  it('leaves a cache that passes integrity_check and holds every committed page, and resumes to the server rows', async () => {
    const committed = new Map<string, CommittedPage>()
    // Pages of 50 rows stream back to back: 60 per table here, so the later kills land in later streams.
    for (const pages of [3, 50, 60]) {
      const { reported, finished } = await syncAndKill(pages)
      expect(finished).toBe(false)
      for (const page of reported) committed.set(`${page.table}/${page.tenantId}`, page)

      const cache = openCacheForWriting(scene.cacheFile)
      try {
        expect(cache.pragma('integrity_check', { simple: true })).toBe('ok')
        cache.prepare("INSERT INTO audit_fts (audit_fts) VALUES ('integrity-check')").run()
        cache.prepare("INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('integrity-check')").run()
        for (const page of committed.values()) {
          if (page.table.startsWith('sync_tombstones')) continue
          const expected = await serverIdsUpTo(page)
          const cached = new Set(cache.prepare(`SELECT id FROM ${page.table}`).pluck().all() as string[])
          expect(expected.filter((id) => !cached.has(id))).toEqual([])
        }
      } finally {
        cache.close()
      }
    }
    expect(committed.size).toBeGreaterThan(1)

    const db = createDatabase(scene.operator.connection)
    const cache = openCacheForWriting(scene.cacheFile)
    try {
      await waitForWatermark(scene.admin)
      await syncOnce(db, cache, { pageSize: 300 })
      expect(cacheDigests(cache, scene.tenants)).toEqual(await serverDigests(scene.admin, scene.tenants))
    } finally {
      cache.close()
      await db.close()
    }
  })
})
