// Helpers of the bench modules that work in scratch databases of their own on the bench server
// (bench/usage.ts, bench/archival.ts): a client that never crashes the run on a server-side
// disconnect, timing, and the cleanup of the databases and the roles their migrations created.
import pg from 'pg'
import { toClientConfig } from '../src/main/db/connection'
import type { ConnectionConfig } from '../src/main/db/types'

export const round = (ms: number) => Math.round(ms * 100) / 100
/** Milliseconds since a process.hrtime.bigint() reading. */
export const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6

export async function connect(config: ConnectionConfig, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ ...toClientConfig(config), application_name: applicationName })
  // A database dropped WITH (FORCE) at cleanup ends this session: that is no failure of the run.
  client.on('error', () => {})
  await client.connect()
  return client
}

/** Drops the scratch databases, then every role whose name starts with `rolePrefix_` (roles are cluster-wide). */
export async function dropScratch(root: pg.Client, databases: string[], rolePrefix: string): Promise<void> {
  for (const database of databases) await root.query(`drop database if exists ${root.escapeIdentifier(database)} with (force)`).catch(() => undefined)
  const roles = await root.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1 order by rolname desc`, [`${rolePrefix}\\_%`])
  for (const { rolname } of roles.rows) await root.query(`drop role if exists ${root.escapeIdentifier(rolname)}`).catch(() => undefined)
}
