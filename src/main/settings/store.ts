import Conf, { type Options } from 'conf'
import { RpcError } from '../../shared/rpc/errors'
import type { ConnectionProfile } from '../../shared/rpc/areas/connections'
import { preferencesSchema, type Preferences, type PreferencesPatch } from '../../shared/rpc/areas/settings'
import { defaultSettings, settingsJsonSchema, type SettingsFile, type WindowBounds } from './schema'

/** What the rest of the main process may read and change in the settings file. */
export interface SettingsStore {
  readonly path: string
  preferences(): Preferences
  updatePreferences(patch: PreferencesPatch): Preferences
  profiles(): ConnectionProfile[]
  /** Adds or replaces (same id) a profile. */
  putProfile(profile: ConnectionProfile): void
  deleteProfile(id: string): boolean
  activeProfileId(): string | null
  setActiveProfileId(id: string | null): void
  windowBounds(): WindowBounds | null
  setWindowBounds(bounds: WindowBounds): void
}

/** The part of conf's API we use; electron-store is a subclass of Conf, so both fit. */
export type SettingsBackingStore = Pick<Conf<SettingsFile>, 'get' | 'set' | 'store' | 'path'>

export const SETTINGS_FILE_NAME = 'settings'

/** Options shared by conf (plain Node) and electron-store (Electron shell). */
export function settingsStoreOptions(dataDir: string): Options<SettingsFile> {
  const { properties, root } = settingsJsonSchema()
  return {
    cwd: dataDir,
    configName: SETTINGS_FILE_NAME,
    schema: properties as Options<SettingsFile>['schema'],
    rootSchema: root,
    defaults: defaultSettings,
    // A hand-edited file that no longer fits the schema is refused loudly rather than wiped.
    clearInvalidConfig: false,
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false
  }
}

/** Settings under plain Node: conf, the library electron-store is built on. */
export function openSettingsStore(dataDir: string): SettingsStore {
  let backing: SettingsBackingStore
  try {
    backing = new Conf<SettingsFile>(settingsStoreOptions(dataDir))
  } catch (error) {
    throw invalidSettings(error, 'The settings file cannot be read')
  }
  return wrapSettings(backing)
}

export function wrapSettings(backing: SettingsBackingStore): SettingsStore {
  const write = <K extends keyof SettingsFile>(key: K, value: SettingsFile[K]) => {
    try {
      backing.set(key, value)
    } catch (error) {
      throw invalidSettings(error)
    }
  }
  const preferences = (): Preferences => {
    const { language, theme, sync } = backing.store
    return { language, theme, sync }
  }

  return {
    path: backing.path,
    preferences,
    updatePreferences(patch) {
      const current = preferences()
      const { windowDays, ...sync } = patch.sync ?? {}
      const parsed = preferencesSchema.safeParse({
        language: patch.language ?? current.language,
        theme: patch.theme ?? current.theme,
        sync: { ...current.sync, ...stripUndefined(sync), windowDays: { ...current.sync.windowDays, ...stripUndefined(windowDays ?? {}) } }
      })
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
        throw new RpcError('INVALID', `The settings were not saved: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues })
      }
      const next = parsed.data
      // One write of the whole store, so a refused value leaves every field as it was.
      try {
        backing.store = { ...backing.store, ...next }
      } catch (error) {
        throw invalidSettings(error)
      }
      return next
    },
    profiles: () => backing.get('profiles'),
    putProfile(profile) {
      const others = backing.get('profiles').filter((p) => p.id !== profile.id)
      write('profiles', [...others, profile])
    },
    deleteProfile(id) {
      const profiles = backing.get('profiles')
      const kept = profiles.filter((p) => p.id !== id)
      if (kept.length === profiles.length) return false
      write('profiles', kept)
      return true
    },
    activeProfileId: () => backing.get('activeProfileId'),
    setActiveProfileId: (id) => write('activeProfileId', id),
    windowBounds: () => backing.get('windowBounds'),
    setWindowBounds: (bounds) => write('windowBounds', bounds)
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** conf's messages quote the offending field names, never values, so they are safe to show. */
function invalidSettings(error: unknown, what = 'The settings were not saved'): RpcError {
  const detail = error instanceof Error ? error.message : String(error)
  return new RpcError('INVALID', `${what}: ${detail}`)
}
