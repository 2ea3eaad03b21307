// npm run migrate — applies the migrations to DATABASE_URL (role prefix: AVIA_ROLE_PREFIX, default avia).
import { parseDatabaseUrl } from '../src/main/db/connection'
import { migrate } from '../src/main/db/migrate'
import { RpcError } from '../src/shared/rpc/errors'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/avia')
  process.exit(2)
}

try {
  const rolePrefix = process.env.AVIA_ROLE_PREFIX
  const { applied } = await migrate(parseDatabaseUrl(url), rolePrefix ? { rolePrefix } : {})
  console.log(applied.length === 0 ? 'Schema up to date: nothing to apply.' : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`)
} catch (error) {
  console.error(error instanceof RpcError ? `${error.code}: ${error.message}` : error)
  process.exit(1)
}
