import ElectronStore from 'electron-store'
import { SETTINGS_FILE_NAME, settingsStoreOptions, wrapSettings, type SettingsStore } from './store'
import type { SettingsFile } from './schema'

/**
 * Settings inside the Electron shell: electron-store over the same file, schema and options as the
 * plain-Node store (only the Electron entry point imports this module, since it loads 'electron').
 */
export function openElectronSettingsStore(dataDir: string): SettingsStore {
  // electron-store takes the file name as `name` and overrides `configName` with it.
  return wrapSettings(new ElectronStore<SettingsFile>({ ...settingsStoreOptions(dataDir), name: SETTINGS_FILE_NAME }))
}
