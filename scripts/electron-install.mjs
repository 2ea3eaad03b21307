// Electron's own postinstall is denied in allowScripts (it would fail the whole install on a
// machine that cannot reach Electron's release host). We run it here instead, and a failure only
// means the console opens in browser mode.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
let installScript
try {
  installScript = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js')
} catch {
  process.exit(0) // production install without devDependencies
}
if (!existsSync(installScript) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0)

const result = spawnSync(process.execPath, [installScript], { stdio: 'pipe', timeout: 120_000 })
if (result.status === 0) {
  console.log('electron: binary installed.')
} else {
  console.warn(
    'electron: the Electron binary could not be downloaded; `npm start` will open the console in browser mode.'
  )
}
