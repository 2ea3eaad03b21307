import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { cleanUpOnExit } from '../../test/helpers/exit-cleanup'

export interface ConsoleServer {
  /** The printed launch URL, the token in its fragment. */
  url: string
  origin: string
  /** The per-launch token, for requests a test makes itself (`Authorization: Bearer`). */
  token: string
  dataDir: string
  stop(): Promise<void>
}

const READY_LINE = /Console ready: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/
const ROOT = path.resolve(import.meta.dirname, '../..')

/**
 * Starts the real browser-mode console (`node out/main/browser.js`) on a fresh data directory and
 * resolves with its launch URL. With no DATABASE_URL it creates the embedded demo database. Outside
 * a D-Bus session it runs under scripts/with-keyring.sh, so the demo password has a real keychain.
 */
export async function startConsoleServer(options: { env?: NodeJS.ProcessEnv; logName?: string; readyTimeoutMs?: number } = {}): Promise<ConsoleServer> {
  const entry = path.join(ROOT, 'out/main/browser.js')
  if (!existsSync(entry) || !existsSync(path.join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('The console is not built: run `npm run build` (electron-vite build) before the end-to-end tests.')
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'avc-e2e-'))
  // As root the embedded PostgreSQL runs as 'postgres', which must be able to enter the data directory.
  await chmod(dataDir, 0o755)

  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env }
  if (!options.env || !('DATABASE_URL' in options.env)) delete env.DATABASE_URL
  const args = ['out/main/browser.js', '--data-dir', dataDir]
  const [command, commandArgs] = env.DBUS_SESSION_BUS_ADDRESS ? ['node', args] : ['bash', ['scripts/with-keyring.sh', 'node', ...args]]

  await mkdir(path.join(ROOT, 'test-results'), { recursive: true })
  const log = createWriteStream(path.join(ROOT, 'test-results', options.logName ?? 'e2e-console-server.log'))
  // Its own process group, so stop() reaches the keyring wrapper, node and the embedded PostgreSQL.
  const child = spawn(command, commandArgs as string[], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  // Its own process group does not get the runner's Ctrl-C or SIGTERM: if the runner goes before
  // stop(), stop it (and so its embedded PostgreSQL) and delete its data all the same.
  const releaseExitHooks = cleanUpOnExit(() => {
    stopProcessGroupNow(child)
    rmSync(dataDir, { recursive: true, force: true })
  })
  child.stdout!.pipe(log, { end: false })
  child.stderr!.pipe(log, { end: false })

  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error(`The console did not print its URL within ${options.readyTimeoutMs ?? 60_000} ms; see test-results/${options.logName ?? 'e2e-console-server.log'}`)), options.readyTimeoutMs ?? 60_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = READY_LINE.exec(buffered)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`The console exited before it was ready (code ${code}, signal ${signal}); see the log in test-results/.`))
    })
  }).catch(async (error: unknown) => {
    await stopProcessGroup(child)
    await rm(dataDir, { recursive: true, force: true })
    releaseExitHooks()
    throw error
  })

  return {
    url,
    origin: new URL(url).origin,
    token: launchToken(url),
    dataDir,
    async stop() {
      await stopProcessGroup(child)
      log.end()
      await rm(dataDir, { recursive: true, force: true })
      releaseExitHooks()
    }
  }
}

/** The token of a launch URL (`…/#token=…`). */
export function launchToken(launchUrl: string): string {
  const token = /^#token=([\w-]+)$/.exec(new URL(launchUrl).hash)?.[1]
  if (!token) throw new Error(`No token in the launch URL ${launchUrl}`)
  return token
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.kill(-child.pid, 'SIGTERM')
  const timer = setTimeout(() => killProcessGroup(child, 'SIGKILL'), 20_000)
  await exited
  clearTimeout(timer)
}

/** stopProcessGroup for a process that is exiting, so cannot await: it waits synchronously. */
function stopProcessGroupNow(child: ChildProcess): void {
  killProcessGroup(child, 'SIGTERM')
  const deadline = Date.now() + 20_000
  while (isRunning(child.pid!) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
  killProcessGroup(child, 'SIGKILL')
}

/** Running, as opposed to gone or a zombie (nothing reaps our child while we wait synchronously); Linux /proc, elsewhere false. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal)
  } catch {
    // Already gone.
  }
}
