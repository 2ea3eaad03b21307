import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { probeKeychain } from '../../src/main/secrets/probe'
import { createKeychainStore, keychainUnavailable } from '../../src/main/secrets/secret-store'

const run = promisify(execFile)
// A service of its own per run, so nothing here can touch the console's real entries.
const service = `avc-test-${randomBytes(4).toString('hex')}`
const store = createKeychainStore(service)
const used = new Set<string>()
const account = (name: string) => {
  used.add(name)
  return name
}

afterAll(async () => {
  for (const name of used) await store.delete(name)
})

/** Reads an entry from another process: proves the secret lives in the keyring daemon, not in our memory. */
async function readFromAnotherProcess(name: string): Promise<string | null> {
  const script = `import('keytar').then(async (k) => process.stdout.write(JSON.stringify(await k.default.getPassword(process.argv[1], process.argv[2]))))`
  const { stdout } = await run(process.execPath, ['-e', script, service, name], { cwd: process.cwd() })
  return JSON.parse(stdout) as string | null
}

describe('keychain (gnome-keyring through the Secret Service)', () => {
  it('stores, returns and deletes a secret, visible to another process while it exists', async () => {
    const name = account('profile:round-trip:password')
    const secret = `pässwörd-${randomBytes(12).toString('base64')}`
    expect(await store.get(name)).toBeNull()

    await store.set(name, secret)
    expect(await store.get(name)).toBe(secret)
    expect(await readFromAnotherProcess(name)).toBe(secret)

    expect(await store.delete(name)).toBe(true)
    expect(await store.get(name)).toBeNull()
    expect(await readFromAnotherProcess(name)).toBeNull()
    expect(await store.delete(name)).toBe(false)
  })

  it('replaces a secret stored under the same account', async () => {
    const name = account('demo:password')
    await store.set(name, 'first-value-123')
    await store.set(name, 'second-value-456')
    expect(await store.get(name)).toBe('second-value-456')
  })

  it('keeps accounts apart', async () => {
    await store.set(account('profile:a:password'), 'secret-a')
    await store.set(account('profile:b:password'), 'secret-b')
    expect(await store.get('profile:a:password')).toBe('secret-a')
    expect(await store.get('profile:b:password')).toBe('secret-b')
  })

  it('passes the start-up probe and leaves no probe entry behind', async () => {
    await probeKeychain(store)
    const left = await import('keytar').then((k) => k.default.findCredentials(service))
    expect(left.filter((c) => c.account.startsWith('probe'))).toEqual([])
  })

  it('explains a missing keychain with a typed, actionable error', () => {
    const error = keychainUnavailable('Could not connect: No such file or directory')
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(/^No OS keychain \(Secret Service\) is available: Could not connect/)
    expect(error.message).toMatch(/install and unlock gnome-keyring/)
  })
})
