// Child process of crash.test.ts: syncs into the cache and reports every committed page (its
// stream's cursor, read back from the cache after the commit) to the parent, which SIGKILLs it.
import { openCacheForWriting } from '../../src/main/cache/db'
import { syncOnce } from '../../src/main/cache/sync/engine'
import { createDatabase } from '../../src/main/db/database'
import type { ConnectionConfig } from '../../src/main/db/types'

export interface CommittedPage {
  table: string
  tenantId: string
  lastXid: string
  lastId: string | null
}

process.once('message', (message: { connection: ConnectionConfig; cacheFile: string; pageSize: number }) => {
  const db = createDatabase(message.connection, { maxConnections: 2 })
  const cache = openCacheForWriting(message.cacheFile)
  const cursor = cache.prepare('SELECT last_xid, last_id FROM sync_cursors WHERE table_name = ? AND tenant_id = ?').safeIntegers(true)
  void syncOnce(db, cache, { pageSize: message.pageSize }, {
    onProgress: (p) => {
      if (p.phase !== 'pulling' || !p.table || !p.tenantId) return
      const row = cursor.get(p.table, p.tenantId) as { last_xid: bigint; last_id: string | null }
      const page: CommittedPage = { table: p.table, tenantId: p.tenantId, lastXid: String(row.last_xid), lastId: row.last_id }
      process.send!(page)
    }
  }).then(() => process.send!('finished'))
})
