import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { createEventHub } from '../../src/main/rpc/events'
import { handlers } from '../../src/main/rpc/handlers'
import { startServer, type RunningServer } from '../../src/main/server/server'
import { fixedBackend } from '../rpc/fixed-backend'

export const INDEX_HTML = '<!doctype html><html><head><title>console</title></head><body><div id="root"></div></body></html>'

/** The real server, dispatcher and handlers over a throwaway "built renderer" folder. */
export async function startFixtureServer(options: { bodyLimitBytes?: number } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'avc-server-'))
  const staticDir = path.join(root, 'renderer')
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true })
  writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML)
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app")')
  writeFileSync(path.join(root, 'outside.txt'), 'must never be served')
  const hub = createEventHub()
  const dispatch = createDispatcher(handlers, () => ({ backend: fixedBackend(), emit: hub.emit }))
  const server: RunningServer = await startServer({ dispatch, events: hub, staticDir, ...options })
  return {
    server,
    hub,
    host: `127.0.0.1:${server.port}`,
    bearer: { authorization: `Bearer ${server.token}` },
    async close() {
      await server.close()
      rmSync(root, { recursive: true, force: true })
    }
  }
}
