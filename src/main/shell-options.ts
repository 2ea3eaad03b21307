import { homedir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { name as packageName } from '../../package.json'

/** Both shells keep their state in one folder named after the package, so they share it. */
export const DATA_DIR_NAME = packageName

export class UsageError extends Error {}

export interface ShellOptions {
  /** 0: a random free port (browser mode only). */
  port: number
  /** Absent: the default folder of the platform. */
  dataDir?: string
}

/**
 * `--port N`, `--data-dir DIR` (and `--browser`, which start.mjs has already acted on). Browser
 * mode is strict; the Electron shell also receives Chromium's own switches and the app path,
 * so it ignores what it does not know.
 */
export function parseShellOptions(argv: string[], mode: { strict: boolean }): ShellOptions {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, browser: { type: 'boolean' } },
    strict: mode.strict,
    allowPositionals: !mode.strict
  })
  const rawPort = typeof values.port === 'string' ? values.port : undefined
  const port = rawPort === undefined ? 0 : Number(rawPort)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${rawPort}`)
  const dataDir = values['data-dir']
  return { port, ...(typeof dataDir === 'string' ? { dataDir: path.resolve(dataDir) } : {}) }
}

/** Where Electron's app.getPath('appData') points, for the shell that has no Electron. */
export function appDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME ?? path.join(home, '.config')
}
