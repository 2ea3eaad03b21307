import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerEvent } from '../../src/shared/events'
import { createBackend, type BackendHandle } from '../../src/main/backend'
import { freeLoopbackPort } from '../../src/main/demo/free-port'
import { createKeychainStore } from '../../src/main/secrets/secret-store'
import { filesContaining } from './scan'

/** A database that does not answer: the console starts anyway, offline, and says why — without the password. */
describe('DATABASE_URL pointing at a server that does not answer', () => {
  const canary = `Cnry${randomBytes(16).toString('hex')}`
  const events: ServerEvent[] = []
  const logs: string[] = []
  let dataDir: string
  let port: number
  let handle: BackendHandle

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'avc-offline-'))
    port = await freeLoopbackPort()
    handle = await createBackend({
      dataDir,
      databaseUrl: `postgresql://ana:${canary}@127.0.0.1:${port}/agente?sslmode=disable`,
      onEvent: (event) => events.push(event),
      secrets: createKeychainStore(`avc-offline-${randomBytes(4).toString('hex')}`),
      log: (line) => logs.push(line)
    })
  })
  afterAll(async () => {
    await handle?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('starts, reports offline with the reason, and keeps no database handle', async () => {
    const status = await handle.ready
    expect(status).toMatchObject({ state: 'offline', profileId: 'env', demo: false, operator: null })
    // The first pause is 1 s ± 20 %: the console keeps trying by itself.
    expect(status.message).toBe(`Nothing accepts connections at 127.0.0.1:${port} (is the host, port and firewall right, and the server running?). Reconnecting in 1 s (attempt 1).`)
    expect(handle.backend.db).toBeNull()
    expect(events.flatMap((e) => (e.type === 'status' ? [e.state] : []))).toEqual(['connecting', 'offline'])
  })

  it('still lists the connection and answers settings while offline', async () => {
    const entries = await handle.backend.connections.list()
    expect(entries.map((e) => e.id)).toEqual(['demo', 'env'])
    expect(entries[1]).toMatchObject({ host: '127.0.0.1', port, user: 'ana', database: 'agente', active: true, hasPassword: true })
    expect(handle.backend.settings.preferences().theme).toBe('system')
  })

  it('never starts the demo database for it, and leaks the password nowhere', async () => {
    expect(JSON.stringify(events)).not.toContain(canary)
    expect(JSON.stringify(await handle.backend.connections.list())).not.toContain(canary)
    expect(logs.join('\n')).not.toContain(canary)
    expect(await filesContaining(dataDir, canary)).toEqual([])
    expect(await readdir(dataDir)).not.toContain('pg')
  })
})
