// Child process of crash.test.ts: syncs into the cache and reports every committed page (its
// stream's cursor, read back from the cache after the commit) to the parent, which SIGKILLs it.
import { openCacheForWriting } from '../../src/main/cache/db'
import { syncOnce } from '../../src/main/cache/sync/engine'
import { createDatabase } from '../../src/main/db/database'
import type { ConnectionConfig } from '../../src/main/db/types'

export interface CommittedPage {
  table: string
  /** '*' for a page read across every synced tenant. */
  tenantId: string
  lastXid: string
  lastId: string | null
}

process.once('message', (message: { connection: ConnectionConfig; cacheFile: string; pageSize: number }) => {
  const db = createDatabase(message.connection, { maxConnections: 2 })
  const cache = openCacheForWriting(message.cacheFile)
  const cursor = cache.prepare('SELECT last_xid, last_id FROM sync_cursors WHERE table_name = ? AND tenant_id = ?').safeIntegers(true)
  const across = cache.prepare('SELECT value FROM sync_meta WHERE key = ?').pluck()
  const reached = cache.prepare('SELECT max(last_xid) FROM sync_cursors WHERE table_name = ?').pluck().safeIntegers(true)
  void syncOnce(db, cache, { pageSize: message.pageSize }, {
    onProgress: (p) => {
      if (p.phase !== 'pulling' || !p.table) return
      let page: CommittedPage
      if (p.tenantId) {
        const row = cursor.get(p.table, p.tenantId) as { last_xid: bigint; last_id: string | null }
        page = { table: p.table, tenantId: p.tenantId, lastXid: String(row.last_xid), lastId: row.last_id }
      } else {
        // A page read across tenants: the read's position, or after its last page the watermark.
        const at = across.get(`across:${p.table}`) as string | undefined
        const { xid, id } = at ? (JSON.parse(at) as { xid: string; id: string | null }) : { xid: String(reached.get(p.table)), id: null }
        page = { table: p.table, tenantId: '*', lastXid: xid, lastId: id }
      }
      process.send!(page)
    }
  }).then(() => process.send!('finished'))
})
