import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filesContaining } from '../canary/scan'

const run = promisify(execFile)
const child = path.join(import.meta.dirname, 'fixtures/no-keychain-child.ts')

describe('with no Secret Service the console fails closed', () => {
  const canary = `canary-${randomBytes(12).toString('hex')}`
  let scratch: string
  let dataDir: string
  let home: string
  let output: string
  let result: { backend: { code: string; message: string }; save: { code: string; message: string } }

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'avc-nokeychain-'))
    dataDir = path.join(scratch, 'data')
    home = path.join(scratch, 'home')
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', child, dataDir, canary], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        XDG_DATA_HOME: path.join(home, '.local/share'),
        // A bus that does not exist, and no X display to autolaunch one.
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(scratch, 'no-bus')}`,
        DATABASE_URL: `postgres://ana:${canary}@127.0.0.1:5432/app`
      }
    })
    output = stdout + stderr
    result = JSON.parse(stdout.trim().split('\n').at(-1)!)
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  it('refuses to start, with KEYCHAIN_UNAVAILABLE and a message that says what to do', () => {
    expect(result.backend.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(result.backend.message).toMatch(/^No OS keychain \(Secret Service\) is available: /)
    expect(result.backend.message).toMatch(/install and unlock gnome-keyring/)
  })

  it('refuses to save a connection password rather than storing it elsewhere', async () => {
    expect(result.save.code).toBe('KEYCHAIN_UNAVAILABLE')
    const settings = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { profiles: unknown[] }
    expect(settings.profiles).toEqual([])
  })

  it('writes the planted password nowhere: not in the data directory, the home folder or the output', async () => {
    expect(await readdir(dataDir)).not.toContain('pg') // no demo database was started either
    expect(await filesContaining(scratch, canary)).toEqual([])
    expect(output).not.toContain(canary)
  })
})
