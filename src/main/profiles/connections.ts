import { RpcError } from '../../shared/rpc/errors'
import {
  DEMO_CONNECTION_ID,
  ENV_CONNECTION_ID,
  type ConnectionEntry,
  type ConnectionParams,
  type ConnectionTestResult,
  type DemoOperatorEntry
} from '../../shared/rpc/areas/connections'
import type { ConnectionStatus } from '../../shared/rpc/areas/system'
import { cacheIdentity, type CacheIdentity } from '../cache/db'
import { OPERATOR_GROUPS, type OperatorGroup } from '../db/operators'
import type { ConnectionConfig } from '../db/types'
import { secretAccounts, type SecretStore } from '../secrets/secret-store'
import type { SettingsStore } from '../settings/store'
import type { ActiveConnection, ConnectionTarget } from './active-connection'
import { testLogin } from './login-test'
import type { ProfileDraft, ProfileStore } from './profile-store'

export type TestInput = { id: string } | (ConnectionParams & { id?: string; password?: string })

/**
 * Called with a login no saved profile holds any more: a profile about to be removed, or what a
 * profile pointed to before an edit changed its server, database or user (the offline cache
 * deletes that login's file).
 */
export type RemovalHook = (identity: CacheIdentity) => void | Promise<void>

/** The connections screen: the demo database, DATABASE_URL when given, and saved profiles. */
export interface Connections {
  list(): Promise<ConnectionEntry[]>
  save(draft: ProfileDraft): Promise<ConnectionEntry>
  test(input: TestInput): Promise<ConnectionTestResult>
  remove(id: string): Promise<void>
  activate(id: string): Promise<ConnectionStatus>
  /** The embedded demo's operators, one per group, and which one is signed in. */
  demoOperators(): DemoOperatorEntry[]
  /** Signs in to the embedded demo as another group's operator (the demo must be the active connection). */
  signInDemoAs(group: OperatorGroup): Promise<ConnectionStatus>
  /** The target a start should connect to: DATABASE_URL, else the active profile, else the demo. */
  startTarget(): ConnectionTarget
  /** Whose offline cache a connection may open: known without connecting, so it works offline too. */
  cacheIdentity(id: string): CacheIdentity
  onRemove(hook: RemovalHook): () => void
}

export interface DemoInfo {
  /** The running demo server's port; null while it is not running. */
  port: number | null
  database: string
  /** The demo operator of each group. */
  operators: Record<OperatorGroup, string>
  /** Each demo operator's connection while the demo server runs. */
  logins: Record<OperatorGroup, ConnectionConfig> | null
}

export interface ConnectionsDeps {
  profiles: ProfileStore
  settings: SettingsStore
  secrets: SecretStore
  active: () => ActiveConnection
  /** Parsed DATABASE_URL; its password lives only here, in memory. */
  env: ConnectionConfig | null
  demo: () => DemoInfo
}

export const demoTarget = (demoGroup: OperatorGroup): ConnectionTarget => ({ id: DEMO_CONNECTION_ID, name: 'Demo database (embedded)', kind: 'demo', demoGroup })

export function createConnections(deps: ConnectionsDeps): Connections {
  const { profiles, settings, secrets, env } = deps
  const hooks = new Set<RemovalHook>()
  const envTarget: ConnectionTarget | null = env
    ? { id: ENV_CONNECTION_ID, name: `DATABASE_URL (${env.user}@${env.host}:${env.port}/${env.database})`, kind: 'env' }
    : null

  const profileTarget = (id: string): ConnectionTarget => ({ id, name: profiles.get(id).name, kind: 'profile' })
  const isActive = (id: string) => deps.active().target.id === id
  /** Whose demo operator the demo connects as; a start signs in as the admin. */
  let demoGroup: OperatorGroup = 'admin'

  async function profileEntry(id: string): Promise<ConnectionEntry> {
    const { name, host, port, database, user, sslMode } = profiles.get(id)
    return { id, name, kind: 'profile', host, port, database, user, sslMode, active: isActive(id), hasPassword: await profiles.hasPassword(id) }
  }

  async function configFor(input: TestInput): Promise<ConnectionConfig> {
    if (!('host' in input)) {
      if (input.id === DEMO_CONNECTION_ID) {
        const logins = deps.demo().logins
        if (!logins) throw new RpcError('OFFLINE', 'The demo database is not running.')
        return logins[demoGroup]
      }
      if (input.id === ENV_CONNECTION_ID) {
        if (!env) throw new RpcError('NOT_FOUND', 'DATABASE_URL was not given to this console.')
        return env
      }
      return profiles.connectionConfig(input.id)
    }
    const { id, password, ...params } = input
    if (password !== undefined) return { ...params, password }
    if (id === undefined) return params
    const stored = await profiles.storedPasswordFor(id, params)
    return stored === undefined ? params : { ...params, password: stored }
  }

  return {
    async list() {
      const demo = deps.demo()
      const { id, name, kind } = demoTarget(demoGroup)
      const user = demo.operators[demoGroup]
      const entries: ConnectionEntry[] = [
        {
          id,
          name,
          kind,
          host: '127.0.0.1',
          port: demo.port,
          database: demo.database,
          user,
          sslMode: 'disable',
          active: isActive(DEMO_CONNECTION_ID),
          hasPassword: (await secrets.get(secretAccounts.demoOperatorPassword(user))) !== null
        }
      ]
      if (env && envTarget) {
        const { host, port, database, user, sslMode } = env
        entries.push({ ...envTarget, host, port, database, user, sslMode, active: isActive(ENV_CONNECTION_ID), hasPassword: env.password !== undefined })
      }
      for (const profile of profiles.list()) entries.push(await profileEntry(profile.id))
      return entries
    },

    async save(draft) {
      const before = draft.id === undefined ? null : cacheIdentity(profiles.get(draft.id))
      const saved = await profiles.save(draft)
      const after = cacheIdentity(saved)
      if (before && JSON.stringify(before) !== JSON.stringify(after)) for (const hook of [...hooks]) await hook(before)
      return profileEntry(saved.id)
    },

    async test(input) {
      return testLogin(await configFor(input))
    },

    async remove(id) {
      if (id === DEMO_CONNECTION_ID || id === ENV_CONNECTION_ID) throw new RpcError('INVALID', 'The demo database and DATABASE_URL cannot be removed.')
      profiles.get(id)
      if (isActive(id)) throw new RpcError('CONFLICT', 'This connection is in use; switch to another one before removing it.')
      for (const hook of [...hooks]) await hook(cacheIdentity(profiles.get(id)))
      await profiles.remove(id)
    },

    async activate(id) {
      if (id === ENV_CONNECTION_ID) {
        if (!envTarget) throw new RpcError('NOT_FOUND', 'DATABASE_URL was not given to this console.')
        return deps.active().activate(envTarget)
      }
      const target = id === DEMO_CONNECTION_ID ? demoTarget(demoGroup) : profileTarget(id)
      // Remembered first: the next start goes back to this connection even if it is offline now.
      settings.setActiveProfileId(target.kind === 'demo' ? null : id)
      return deps.active().activate(target)
    },

    startTarget() {
      if (envTarget) return envTarget
      const activeId = settings.activeProfileId()
      if (activeId !== null && profiles.list().some((p) => p.id === activeId)) return profileTarget(activeId)
      return demoTarget(demoGroup)
    },

    demoOperators() {
      const { operators } = deps.demo()
      return OPERATOR_GROUPS.map((group) => ({ group, operator: operators[group], signedIn: isActive(DEMO_CONNECTION_ID) && group === demoGroup }))
    },

    async signInDemoAs(group) {
      if (!isActive(DEMO_CONNECTION_ID)) {
        throw new RpcError('INVALID', 'The operator switch works on the embedded demo database only; use it first.', { issues: [{ path: 'group', message: 'not on the demo' }] })
      }
      demoGroup = group
      // A new sign-in: the pool, the sync worker and the offline cache file follow the new identity.
      return deps.active().activate(demoTarget(group))
    },

    cacheIdentity(id) {
      if (id === DEMO_CONNECTION_ID) {
        const { database, operators } = deps.demo()
        return { server: 'embedded-demo', database, role: operators[demoGroup] }
      }
      if (id === ENV_CONNECTION_ID) {
        if (!env) throw new RpcError('NOT_FOUND', 'DATABASE_URL was not given to this console.')
        return cacheIdentity(env)
      }
      return cacheIdentity(profiles.get(id))
    },

    onRemove(hook) {
      hooks.add(hook)
      return () => hooks.delete(hook)
    }
  }
}
