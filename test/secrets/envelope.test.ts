import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { RpcError } from '../../src/shared/rpc/errors'
import { createEnvelope } from '../../src/main/secrets/envelope'
import { createKeychainStore, secretAccounts } from '../../src/main/secrets/secret-store'

// Each test gets its own keychain service, hence its own key-encryption key.
let service = ''
const newStore = () => {
  service = `avc-envelope-${randomBytes(4).toString('hex')}`
  return createKeychainStore(service)
}
afterEach(async () => {
  await createKeychainStore(service).delete(secretAccounts.tenantSecretsKey)
})

const context = 'tenant:6f1c0a4e-4a57-4f6e-9d3b-5a8e2f7c1d90:credential:openai'

async function rejectsInvalid(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(RpcError)
  expect((error as RpcError).code).toBe('INVALID')
  expect((error as RpcError).message).toMatch(message)
}

describe('envelope encryption of tenant secrets', () => {
  it('opens what it sealed; the sealed form reveals neither the secret nor the keychain key', async () => {
    const store = newStore()
    const envelope = createEnvelope(store)
    const secret = 'sk-live-0123456789abcdef'
    const sealed = await envelope.seal(secret, context)

    expect(await envelope.open(sealed, context)).toBe(secret)
    expect(sealed).not.toContain(secret)
    const kek = await store.get(secretAccounts.tenantSecretsKey)
    expect(kek).not.toBeNull()
    expect(Buffer.from(kek!, 'base64')).toHaveLength(32)
    expect(sealed).not.toContain(kek!)
    expect(sealed).not.toContain(Buffer.from(kek!, 'base64').toString('base64url'))
  })

  it('uses a fresh data key and IV every time', async () => {
    const envelope = createEnvelope(newStore())
    const a = await envelope.seal('same secret', context)
    const b = await envelope.seal('same secret', context)
    expect(a).not.toBe(b)
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]) // wrapped data keys differ
  })

  it('creates the key-encryption key once, in the keychain, and a later envelope (another start) reuses it', async () => {
    const store = newStore()
    const envelope = createEnvelope(store)
    const [first] = await Promise.all([envelope.seal('first', context), envelope.seal('second', context)])
    const key = await store.get(secretAccounts.tenantSecretsKey)

    const later = createEnvelope(store)
    expect(await later.open(first, context)).toBe('first')
    await later.seal('third', context)
    expect(await store.get(secretAccounts.tenantSecretsKey)).toBe(key)
  })

  it('refuses a value moved to another record (different context)', async () => {
    const envelope = createEnvelope(newStore())
    const sealed = await envelope.seal('secret', context)
    await rejectsInvalid(envelope.open(sealed, context.replace('openai', 'stripe')), /altered or belongs to another record/)
  })

  it('refuses any tampering with the wrapped key or the data', async () => {
    const envelope = createEnvelope(newStore())
    const sealed = await envelope.seal('secret value', context)
    const parts = sealed.split('.')
    for (const index of [2, 3]) {
      const bytes = Buffer.from(parts[index]!, 'base64url')
      bytes[bytes.length - 1]! ^= 0x01
      const tampered = parts.map((part, i) => (i === index ? bytes.toString('base64url') : part)).join('.')
      await rejectsInvalid(envelope.open(tampered, context), /altered/)
    }
    await rejectsInvalid(envelope.open('v1.only-two', context), /not a sealed secret/)
  })

  it('refuses a value sealed under another keychain key, saying so', async () => {
    const sealed = await createEnvelope(newStore()).seal('secret', context)
    const firstService = service
    const other = createEnvelope(newStore())
    await rejectsInvalid(other.open(sealed, context), /different keychain key/)
    await createKeychainStore(firstService).delete(secretAccounts.tenantSecretsKey)
  })
})
