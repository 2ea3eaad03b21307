import { randomBytes } from 'node:crypto'
import { keychainUnavailable, type SecretStore } from './secret-store'

/**
 * Proves the keychain can store, return and forget a secret before the console relies on it.
 * Throws RpcError KEYCHAIN_UNAVAILABLE otherwise, so startup fails closed.
 */
export async function probeKeychain(store: SecretStore): Promise<void> {
  const token = randomBytes(16).toString('hex')
  // An account of its own, so two consoles probing at once cannot read each other's token.
  const account = `probe:${token}`
  await store.set(account, token)
  const readBack = await store.get(account)
  await store.delete(account)
  if (readBack !== token) throw keychainUnavailable('the keychain did not return what was stored in it')
}
