import { execFile, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { appendFile, chown, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { postgresUserIds } from '../../src/main/demo/cluster-dir'
import { freeLoopbackPort } from '../../src/main/demo/free-port'
import { cleanUpOnExit } from './exit-cleanup'
import { THROWAWAY_SETTINGS, throwawayServer, type ThrowawayServer } from './throwaway-pg'

/** Where Debian's postgresql-<major> packages put their server binaries. */
const DEBIAN_ROOT = '/usr/lib/postgresql'

export interface DebianInstall {
  major: number
  bin: string
}

/**
 * The oldest PostgreSQL installed from Debian's packages (initdb and pg_ctl present), or null.
 * The oldest, so that the suite tests the oldest version the console supports.
 */
export function oldestDebianPostgres(root = DEBIAN_ROOT): DebianInstall | null {
  if (!existsSync(root)) return null
  const installs = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .map((name) => ({ major: Number(name), bin: path.join(root, name, 'bin') }))
    .filter(({ bin }) => existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl')))
    .sort((a, b) => a.major - b.major)
  return installs[0] ?? null
}

/**
 * A throwaway cluster of the machine's own PostgreSQL (Debian's package) in a temp folder, on a
 * free loopback port, with scram-sha-256 for every login and a generated admin password, like
 * the embedded helper. PostgreSQL refuses to run as root, so as root it runs as 'postgres'.
 */
export async function startDebianServer(install: DebianInstall): Promise<ThrowawayServer> {
  const folder = await mkdtemp(path.join(tmpdir(), 'avia-pg-'))
  const data = path.join(folder, 'data')
  const log = path.join(folder, 'server.log')
  const runAs = userInfo().uid === 0 ? postgresUserIds() : null
  // C.UTF-8 like the shared server had, whatever the caller's locale.
  const options: RunOptions = { ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } }
  const pgCtl = path.join(install.bin, 'pg_ctl')
  const stopNow = () => {
    if (existsSync(path.join(data, 'postmaster.pid'))) spawnSync(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], { ...options, stdio: 'ignore' })
    rmSync(folder, { recursive: true, force: true })
  }
  // From here on, a Ctrl-C (even one in the middle of initdb) leaves nothing behind.
  const releaseExitHooks = cleanUpOnExit(stopNow)
  try {
    if (runAs) await chown(folder, runAs.uid, runAs.gid)
    const adminPassword = randomBytes(18).toString('base64url')
    const passwordFile = path.join(folder, 'password')
    await writeFile(passwordFile, `${adminPassword}\n`, { mode: 0o600 })
    if (runAs) await chown(passwordFile, runAs.uid, runAs.gid)
    try {
      await run(path.join(install.bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C.UTF-8'], options)
    } finally {
      await unlink(passwordFile)
    }
    const port = await freeLoopbackPort()
    const settings = [...THROWAWAY_SETTINGS, ['port', String(port)] as const].map(([name, value]) => `${name} = '${value}'`)
    await appendFile(path.join(data, 'postgresql.conf'), `\n# avia test cluster\n${settings.join('\n')}\n`)
    await run(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', 'start'], options).catch((error: Error) => {
      throw new Error(`${error.message}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`)
    })
    return throwawayServer(port, adminPassword, async () => {
      await run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop'], options).catch(() => stopNow())
      await rm(folder, { recursive: true, force: true })
      releaseExitHooks()
    })
  } catch (error) {
    releaseExitHooks()
    stopNow()
    throw error
  }
}

type RunOptions = { uid?: number; gid?: number; env: NodeJS.ProcessEnv }

async function run(command: string, args: string[], options: RunOptions): Promise<void> {
  try {
    await promisify(execFile)(command, args, options)
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string }
    throw new Error(`${path.basename(command)} failed: ${stderr || stdout || (error as Error).message}`)
  }
}
