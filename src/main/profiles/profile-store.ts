import { randomUUID } from 'node:crypto'
import { RpcError } from '../../shared/rpc/errors'
import { connectionProfileSchema, type ConnectionParams, type ConnectionProfile } from '../../shared/rpc/areas/connections'
import type { ConnectionConfig } from '../db/types'
import { secretAccounts, type SecretStore } from '../secrets/secret-store'
import type { SettingsStore } from '../settings/store'

export interface ProfileDraft extends ConnectionParams {
  id?: string
  name: string
  /** Omitted on an edit: the password already in the keychain stays, if the edit keeps its server and user. */
  password?: string
}

/**
 * Saved connection profiles: their parameters in the settings file, their passwords in the
 * keychain under `profile:<id>:password`. Each operation either completes or leaves both as they
 * were.
 */
export interface ProfileStore {
  list(): ConnectionProfile[]
  get(id: string): ConnectionProfile
  hasPassword(id: string): Promise<boolean>
  save(draft: ProfileDraft): Promise<ConnectionProfile>
  remove(id: string): Promise<void>
  /** The profile with its password, ready to connect; the password lives only in memory. */
  connectionConfig(id: string): Promise<ConnectionConfig>
  /** The stored password, only if `params` name the same host, port, database and user as the profile. */
  storedPasswordFor(id: string, params: ConnectionParams): Promise<string | undefined>
}

/**
 * A stored password belongs to the server and user it was saved for. Sent anywhere else, it
 * would go to whoever answers there: a changed host, a mistyped port, another user's database.
 */
function sameLogin(a: ConnectionParams, b: ConnectionParams): boolean {
  return a.host === b.host && a.port === b.port && a.database === b.database && a.user === b.user
}

export function createProfileStore(settings: SettingsStore, secrets: SecretStore): ProfileStore {
  const get = (id: string) => {
    const profile = settings.profiles().find((p) => p.id === id)
    if (!profile) throw new RpcError('NOT_FOUND', 'No saved connection has this id.')
    return profile
  }

  return {
    list: () => settings.profiles(),
    get,
    hasPassword: async (id) => (await secrets.get(secretAccounts.profilePassword(id))) !== null,
    async save({ password, ...draft }) {
      if (draft.id !== undefined) get(draft.id)
      const parsed = connectionProfileSchema.safeParse({ ...draft, id: draft.id ?? randomUUID() })
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
        throw new RpcError('BAD_INPUT', 'The connection profile is not valid.', { issues })
      }
      const profile = parsed.data
      const account = secretAccounts.profilePassword(profile.id)
      if (password === undefined) {
        if (draft.id !== undefined && !sameLogin(get(draft.id), profile) && (await secrets.get(account)) !== null) {
          throw new RpcError('BAD_INPUT', 'The server or user changed: enter the password again (the stored one is sent only where it was saved for).', {
            issues: [{ path: 'password', message: 'required when the host, port, database or user changes' }]
          })
        }
        settings.putProfile(profile)
        return profile
      }
      const previous = await secrets.get(account)
      await secrets.set(account, password)
      try {
        settings.putProfile(profile)
      } catch (error) {
        await (previous === null ? secrets.delete(account) : secrets.set(account, previous))
        throw error
      }
      return profile
    },
    async remove(id) {
      get(id)
      // The keychain first: if it is unavailable the profile stays, complete, and nothing changed.
      await secrets.delete(secretAccounts.profilePassword(id))
      settings.deleteProfile(id)
    },
    async connectionConfig(id) {
      const { host, port, database, user, sslMode } = get(id)
      const password = await secrets.get(secretAccounts.profilePassword(id))
      return { host, port, database, user, sslMode, ...(password !== null ? { password } : {}) }
    },
    async storedPasswordFor(id, params) {
      if (!sameLogin(get(id), params)) return undefined
      return (await secrets.get(secretAccounts.profilePassword(id))) ?? undefined
    }
  }
}
