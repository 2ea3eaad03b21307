// `npm start [-- --browser] [--port N] [--data-dir DIR]`: builds when the sources changed, then
// opens the console in Electron, or in browser mode when asked to or when the Electron binary is
// absent (it could not be downloaded on this machine).
//
// Keychain policy: the console keeps database passwords only in the OS keychain and fails closed
// without one. On a Linux machine with no Secret Service on the session bus (a server, a container,
// an SSH session) but with gnome-keyring installed, this script starts a private, unlocked
// gnome-keyring for this run only (scripts/with-keyring.sh --keep-home): its keyring is encrypted
// with a random password that is never stored and is deleted when the console exits. Secrets
// therefore never outlive the run, and the demo database is recreated on the next start. Without
// gnome-keyring nothing is started and the backend refuses to run, saying how to get a keychain.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const require = createRequire(import.meta.url)

/** Inputs of the build; the outputs are the entry files every shell needs. */
const BUILD_INPUTS = ['src', 'electron.vite.config.ts', 'package.json', 'tsconfig.json']
const BUILD_OUTPUTS = ['out/main/index.js', 'out/main/browser.js', 'out/renderer/index.html']

function parseCli() {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { browser: { type: 'boolean', default: false }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
      strict: true
    })
    return values
  } catch (error) {
    console.error(`${error.message}\nUsage: npm start [-- --browser] [--port N] [--data-dir DIR]`)
    process.exit(2)
  }
}

function newestMtime(target) {
  const full = path.join(root, target)
  if (!existsSync(full)) return 0
  const info = statSync(full)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(target, entry)))
  return newest
}

function buildIfStale() {
  const outputs = BUILD_OUTPUTS.map((file) => path.join(root, file))
  const missing = outputs.filter((file) => !existsSync(file))
  const oldestOutput = missing.length > 0 ? 0 : Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  const newestInput = Math.max(...BUILD_INPUTS.map(newestMtime))
  if (oldestOutput >= newestInput) return
  console.log(missing.length > 0 ? 'No build found: building the console (electron-vite build)…' : 'Sources changed: rebuilding the console (electron-vite build)…')
  const build = spawnSync(path.join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) {
    console.error('The build failed; see the messages above.')
    process.exit(build.status ?? 1)
  }
}

/** The Electron executable when its binary was downloaded, else null. */
function electronExecutable() {
  try {
    const dist = path.join(path.dirname(require.resolve('electron/package.json')), 'dist')
    if (!existsSync(dist)) return null
    const executable = require('electron')
    return typeof executable === 'string' && existsSync(executable) ? executable : null
  } catch {
    return null
  }
}

/** The same round trip the backend's probe makes: store, read back, delete. */
async function keychainWorks() {
  try {
    const keytar = require('keytar')
    const token = `start-probe-${process.pid}-${Date.now()}`
    await keytar.setPassword('agente-virtual-console', 'probe', token)
    const back = await keytar.getPassword('agente-virtual-console', 'probe')
    await keytar.deletePassword('agente-virtual-console', 'probe')
    return back === token
  } catch {
    return false
  }
}

function installed(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

async function main() {
  const options = parseCli()
  buildIfStale()

  const forwarded = [
    ...(options.port !== undefined ? ['--port', options.port] : []),
    ...(options['data-dir'] !== undefined ? ['--data-dir', path.resolve(options['data-dir'])] : [])
  ]
  const electron = options.browser ? null : electronExecutable()
  let command
  if (electron) {
    command = [electron, root, ...forwarded]
  } else {
    console.log(options.browser ? 'Opening the console in browser mode (--browser).' : 'Electron binary not found: opening in browser mode.')
    command = [process.execPath, path.join(root, 'out/main/browser.js'), ...forwarded]
  }

  if (process.platform === 'linux' && !(await keychainWorks())) {
    if (installed('gnome-keyring-daemon') && installed('dbus-run-session')) {
      console.log(
        'No OS keychain (Secret Service) is reachable: starting a private gnome-keyring session for this run. ' +
          'Its secrets end with the run, so the demo database is recreated on the next start; run the console ' +
          'inside a desktop session (or any session with an unlocked gnome-keyring) to keep them.'
      )
      command = ['bash', path.join(root, 'scripts/with-keyring.sh'), '--keep-home', ...command]
    }
    // Otherwise the backend refuses to start and says how to get a keychain: no plaintext fallback.
  }

  // Its own process group: a Ctrl+C reaches the console once, through us, not twice (a second
  // signal makes the console skip its graceful shutdown).
  const child = spawn(command[0], command.slice(1), { cwd: root, stdio: 'inherit', detached: true })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)))
}

await main()
