import keytar from 'keytar'
import { RpcError } from '../../shared/rpc/errors'

export const KEYCHAIN_SERVICE = 'agente-virtual-console'

/** Keychain account names: the only places a secret of the console may live. */
export const secretAccounts = {
  profilePassword: (profileId: string) => `profile:${profileId}:password`,
  /** One per demo operator (a role name such as avia_lucia_support). */
  demoOperatorPassword: (operator: string) => `demo:${operator}:password`,
  demoSuperuserPassword: 'demo:superuser-password'
} as const

export interface SecretStore {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>
}

/** How long a keychain call may take before it counts as unavailable (a locked keyring may prompt). */
const KEYCHAIN_TIMEOUT_MS = 30_000

/**
 * The OS keychain through keytar (Secret Service on Linux, Keychain on macOS, Credential Vault on
 * Windows). Every failure becomes KEYCHAIN_UNAVAILABLE: callers fail closed, they never fall back
 * to another place for the secret.
 */
export function createKeychainStore(service: string = KEYCHAIN_SERVICE): SecretStore {
  return {
    get: (account) => guarded(keytar.getPassword(service, account)),
    set: (account, secret) => guarded(keytar.setPassword(service, account, secret)),
    delete: (account) => guarded(keytar.deletePassword(service, account))
  }
}

export function keychainUnavailable(reason: string): RpcError {
  return new RpcError(
    'KEYCHAIN_UNAVAILABLE',
    `No OS keychain (Secret Service) is available: ${reason}. The console keeps database passwords only in the ` +
      'OS keychain and will not store them anywhere else. On Linux install and unlock gnome-keyring ' +
      '(Debian/Ubuntu: apt-get install gnome-keyring libsecret-1-0 dbus) or start the console inside a desktop ' +
      'session; on macOS and Windows unlock your login keychain.'
  )
}

async function guarded<T>(call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${KEYCHAIN_TIMEOUT_MS / 1000} s (is the keyring locked?)`)), KEYCHAIN_TIMEOUT_MS)
    timer.unref()
  })
  try {
    return await Promise.race([call, timeout])
  } catch (error) {
    throw keychainUnavailable(error instanceof Error ? error.message : String(error))
  } finally {
    clearTimeout(timer)
  }
}
