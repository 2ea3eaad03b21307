import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { waitForWatermark } from '../../src/main/cache/sync/pull'
import { connectionConfig, withClient } from '../helpers/db'
import { oldestDebianPostgres } from '../helpers/debian-pg'
import { holdNeighbourTransaction, sharedServerAnswers } from '../setup/neighbour'

const db = inject('db')

function onRunDatabase<T>(fn: (client: pg.Client) => Promise<T>, password = db.adminPassword): Promise<T> {
  return withClient({ ...connectionConfig(), password }, fn)
}

describe("the run's own PostgreSQL cluster", () => {
  it('is the oldest PostgreSQL package installed, or embedded PostgreSQL 18 without one', async () => {
    const debian = oldestDebianPostgres()
    expect(db.server).toBe(debian ? 'debian' : 'embedded')
    expect(db.major).toBe(debian ? debian.major : 18)
    const version = await onRunDatabase(async (c) => (await c.query<{ v: number }>(`select current_setting('server_version_num')::int as v`)).rows[0]!.v)
    expect(Math.floor(version / 10_000)).toBe(db.major)
  })

  it('is chosen among complete installs only, the oldest first', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'avia-debian-root-'))
    try {
      const install = (version: string, tools: string[]) => {
        mkdirSync(path.join(root, version, 'bin'), { recursive: true })
        for (const tool of tools) writeFileSync(path.join(root, version, 'bin', tool), '')
      }
      install('17', ['initdb', 'pg_ctl'])
      install('16', ['initdb', 'pg_ctl'])
      install('9', ['pg_ctl']) // client-side leftovers of an old major, no initdb: not a server
      mkdirSync(path.join(root, 'common'))
      expect(oldestDebianPostgres(root)).toEqual({ major: 16, bin: path.join(root, '16', 'bin') })
      expect(oldestDebianPostgres(path.join(root, 'missing'))).toBeNull()
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('listens on loopback TCP only, checks passwords with scram-sha-256 and does not fsync', async () => {
    const settings = await onRunDatabase(async (c) =>
      Object.fromEntries(
        (
          await c.query<{ name: string; setting: string }>(
            `select name, setting from pg_settings where name in ('listen_addresses', 'unix_socket_directories', 'password_encryption', 'fsync')`
          )
        ).rows.map((r) => [r.name, r.setting])
      )
    )
    expect(settings).toEqual({ listen_addresses: '127.0.0.1', unix_socket_directories: '', password_encryption: 'scram-sha-256', fsync: 'off' })
    await expect(onRunDatabase(async () => 1, `wrong-${randomBytes(6).toString('hex')}`)).rejects.toThrow(/password authentication failed/)
  })
})

const shared = await sharedServerAnswers()

describe.skipIf(!shared)(`a transaction open on the machine's shared server${shared ? '' : ' (skipped: no PostgreSQL answers at 127.0.0.1:5432 to open it)'}`, () => {
  let endNeighbour: (() => Promise<void>) | undefined
  beforeAll(async () => {
    endNeighbour = await holdNeighbourTransaction(`own_cluster_${randomBytes(4).toString('hex')}`)
  })
  afterAll(async () => {
    await endNeighbour?.()
  })

  it('does not hold back the watermark the sync waits on', async () => {
    // Other test files' transactions on the run's cluster may hold it for a moment; the
    // neighbour's would hold it for good.
    await expect(onRunDatabase((c) => waitForWatermark(c, 20_000))).resolves.toBeUndefined()
  })
})
