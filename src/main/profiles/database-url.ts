import { RpcError } from '../../shared/rpc/errors'
import { connectionParamsSchema } from '../../shared/rpc/areas/connections'
import { parseDatabaseUrl } from '../db/connection'
import type { ConnectionConfig } from '../db/types'

/**
 * DATABASE_URL (browser mode) as a checked connection config. Its password stays in this
 * process's memory: it is never stored, and no error message quotes the URL.
 */
export function databaseUrlConfig(url: string): ConnectionConfig {
  let config: ConnectionConfig
  try {
    config = parseDatabaseUrl(url)
  } catch (error) {
    const sslProblem = error instanceof Error && error.message.startsWith('sslmode')
    throw invalid(sslProblem ? error.message : 'it is not a postgres:// or postgresql:// URL')
  }
  const { password, ...params } = config
  const checked = connectionParamsSchema.safeParse(params)
  if (!checked.success) throw invalid(`check ${checked.error.issues.map((issue) => issue.path.join('.')).join(', ')}`)
  return { ...checked.data, ...(password !== undefined ? { password } : {}) }
}

function invalid(reason: string): RpcError {
  return new RpcError('INVALID', `DATABASE_URL is not usable: ${reason} (expected postgres://user:password@host:port/database).`)
}
