import type { UsageSourced } from '../../../shared/rpc/areas/usage'
import type { DataSourceChoice } from '../../../shared/rpc/list'
import type { Backend } from '../../backend-types'
import { readFrom } from '../../reads/source'
import { cacheStore } from './cache-store'
import { serverStore } from './server-store'
import type { UsageStore } from './store'

/**
 * One answer computed by `compute` over whichever side `source` picks: the server while online,
 * the offline cache otherwise; the figures come from the same code either way.
 */
export async function readUsage<T extends Omit<UsageSourced, 'source' | 'syncedAt'>>(
  backend: Backend,
  source: DataSourceChoice,
  compute: (store: UsageStore) => Promise<T>
): Promise<T & Pick<UsageSourced, 'source' | 'syncedAt'>> {
  const { value, ...from } = await readFrom(backend, source, {
    server: (db) => compute(serverStore(db)),
    cache: (cache) => compute(cacheStore(cache))
  })
  return { ...value, ...from }
}

