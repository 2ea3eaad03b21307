import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RpcError } from '../../src/shared/rpc/errors'
import type { ConnectionProfile } from '../../src/shared/rpc/areas/connections'
import { preferencesPatchSchema, type PreferencesPatch } from '../../src/shared/rpc/areas/settings'
import { defaultSettings, settingsJsonSchema, type SettingsFile } from '../../src/main/settings/schema'
import { openSettingsStore, settingsStoreOptions } from '../../src/main/settings/store'

const profile: ConnectionProfile = {
  id: 'a1b2c3',
  name: 'Production (read replica)',
  host: 'db.example.com',
  port: 5432,
  database: 'agente',
  user: 'ana_support',
  sslMode: 'verify-full'
}

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'avc-settings-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

const readSettingsFile = async () => readFile(path.join(dataDir, 'settings.json'), 'utf8')

function expectInvalid(fn: () => unknown) {
  let thrown: unknown
  try {
    fn()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(RpcError)
  expect((thrown as RpcError).code).toBe('INVALID')
}

describe('settings store', () => {
  it('starts from the defaults: system language and theme, no profiles, the demo database active', () => {
    const settings = openSettingsStore(dataDir)
    expect(settings.preferences()).toEqual({ language: 'system', theme: 'system', sync: defaultSettings.sync })
    expect(settings.profiles()).toEqual([])
    expect(settings.activeProfileId()).toBeNull()
  })

  it('persists profiles, preferences and window bounds across reopening, in a file only its owner can read', async () => {
    const settings = openSettingsStore(dataDir)
    settings.putProfile(profile)
    settings.setActiveProfileId(profile.id)
    settings.updatePreferences({ language: 'es', sync: { intervalMinutes: 5 } })
    settings.setWindowBounds({ width: 1280, height: 800, maximized: false })

    const reopened = openSettingsStore(dataDir)
    expect(reopened.profiles()).toEqual([profile])
    expect(reopened.activeProfileId()).toBe(profile.id)
    expect(reopened.preferences()).toEqual({ language: 'es', theme: 'system', sync: { ...defaultSettings.sync, intervalMinutes: 5 } })
    expect(reopened.windowBounds()).toEqual({ width: 1280, height: 800, maximized: false })
    expect((await stat(settings.path)).mode & 0o077).toBe(0)
  })

  it('replaces a profile with the same id and deletes one by id', () => {
    const settings = openSettingsStore(dataDir)
    settings.putProfile(profile)
    settings.putProfile({ ...profile, name: 'Renamed' })
    expect(settings.profiles()).toEqual([{ ...profile, name: 'Renamed' }])
    expect(settings.deleteProfile('nope')).toBe(false)
    expect(settings.deleteProfile(profile.id)).toBe(true)
    expect(settings.profiles()).toEqual([])
  })
})

describe('the settings file refuses secrets', () => {
  const planted = 'pw-canary-7f3a9c'

  it('refuses a profile carrying a password and leaves the file as it was', async () => {
    const settings = openSettingsStore(dataDir)
    settings.putProfile(profile)
    const before = await readSettingsFile()

    expectInvalid(() => settings.putProfile({ ...profile, password: planted } as ConnectionProfile))

    const after = await readSettingsFile()
    expect(after).toBe(before)
    expect(after).not.toContain(planted)
    expect(openSettingsStore(dataDir).profiles()).toEqual([profile])
  })

  it('refuses password-like fields written straight through conf, at the top level and inside a profile', async () => {
    const raw = new Conf<SettingsFile>(settingsStoreOptions(dataDir))
    expect(() => raw.set('dbPassword' as keyof SettingsFile, planted as never)).toThrow(/schema violation/i)
    expect(() => raw.set('profiles', [{ ...profile, password: planted } as ConnectionProfile])).toThrow(/additional properties/i)
    expect(() => raw.set('profiles', [{ ...profile, secret: planted } as ConnectionProfile])).toThrow(/additional properties/i)
    expect(await readSettingsFile()).not.toContain(planted)
  })

  it('refuses a URL with credentials in the host field', () => {
    const settings = openSettingsStore(dataDir)
    expectInvalid(() => settings.putProfile({ ...profile, host: `postgres://u:${planted}@db` }))
    expect(settings.profiles()).toEqual([])
  })

  it('refuses to open a hand-edited file holding a password, and keeps the file for the user to fix', async () => {
    const file = path.join(dataDir, 'settings.json')
    const edited = JSON.stringify({ ...defaultSettings, profiles: [{ ...profile, password: planted }] })
    await writeFile(file, edited)
    expectInvalid(() => openSettingsStore(dataDir))
    expect(await readFile(file, 'utf8')).toBe(edited)
  })

  it('derives a closed JSON schema: no additional properties at the top or in a profile', () => {
    const { properties, root } = settingsJsonSchema()
    expect(root.additionalProperties).toBe(false)
    const profiles = properties.profiles as { items: { additionalProperties: boolean; properties: Record<string, unknown> } }
    expect(profiles.items.additionalProperties).toBe(false)
    expect(Object.keys(profiles.items.properties).sort()).toEqual(['database', 'host', 'id', 'name', 'port', 'sslMode', 'user'])
  })
})

describe('preferences', () => {
  it('rejects an unknown theme or an out-of-range interval and changes nothing', () => {
    const settings = openSettingsStore(dataDir)
    settings.updatePreferences({ theme: 'dark' })
    expect(() => settings.updatePreferences({ theme: 'blue' as 'dark' })).toThrow()
    expectInvalid(() => settings.updatePreferences({ language: 'en', sync: { intervalMinutes: 0 } }))
    expect(settings.preferences()).toEqual({ language: 'system', theme: 'dark', sync: defaultSettings.sync })
  })
})

describe('offline sync settings', () => {
  const tenantA = '3f1c2b7e-5d4a-4c8b-9e2f-1a6b7c8d9e01'
  const tenantB = '8a2d4e6f-1b3c-4d5e-8f70-9a1b2c3d4e5f'

  it('default to 90 days for every windowed table, 400 days of usage rollups, no pinned tenants', () => {
    expect(openSettingsStore(dataDir).preferences().sync).toEqual({
      enabled: true,
      intervalMinutes: 15,
      windowDays: { executions: 90, audit_logs: 90, usage_records: 90 },
      rollupDays: 400,
      pinnedTenantIds: []
    })
  })

  it('change one table’s window without restating the others, and keep pins across reopening', () => {
    const settings = openSettingsStore(dataDir)
    settings.updatePreferences({ sync: { windowDays: { audit_logs: 30 } } })
    settings.updatePreferences({ sync: { windowDays: { usage_records: 7 }, rollupDays: 800, pinnedTenantIds: [tenantA, tenantB] } })
    expect(openSettingsStore(dataDir).preferences().sync).toEqual({
      enabled: true,
      intervalMinutes: 15,
      windowDays: { executions: 90, audit_logs: 30, usage_records: 7 },
      rollupDays: 800,
      pinnedTenantIds: [tenantA, tenantB]
    })
  })

  const refused: [string, PreferencesPatch][] = [
    ['a zero-day window', { sync: { windowDays: { executions: 0 } } }],
    ['a window beyond ten years', { sync: { windowDays: { audit_logs: 3651 } } }],
    ['a fractional window', { sync: { windowDays: { usage_records: 1.5 } } }],
    ['a window for steps, which follow executions', { sync: { windowDays: { execution_steps: 10 } as never } }],
    ['the old single window', { sync: { historyDays: 30 } as never }],
    ['a pinned id that is not a uuid', { sync: { pinnedTenantIds: ['acme'] } }],
    ['a tenant pinned twice', { sync: { pinnedTenantIds: [tenantA, tenantA] } }],
    ['more than 200 pins', { sync: { pinnedTenantIds: Array.from({ length: 201 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`) } }]
  ]

  for (const [what, patch] of refused) {
    it(`refuses ${what} at the procedure's schema and in the store, and writes nothing`, async () => {
      const settings = openSettingsStore(dataDir)
      settings.updatePreferences({ sync: { windowDays: { executions: 45 }, pinnedTenantIds: [tenantB] } })
      const before = await readSettingsFile()

      expect(preferencesPatchSchema.safeParse(patch).success).toBe(false)
      expectInvalid(() => settings.updatePreferences({ language: 'es', ...patch }))

      expect(await readSettingsFile()).toBe(before)
      expect(openSettingsStore(dataDir).preferences()).toMatchObject({ language: 'system', sync: { windowDays: { executions: 45 }, pinnedTenantIds: [tenantB] } })
    })
  }

  it('refuses to open a file from before per-table windows, and keeps it for the user to fix', async () => {
    const file = path.join(dataDir, 'settings.json')
    const old = JSON.stringify({ ...defaultSettings, sync: { enabled: true, intervalMinutes: 15, historyDays: 90 } })
    await writeFile(file, old)
    expectInvalid(() => openSettingsStore(dataDir))
    expect(await readFile(file, 'utf8')).toBe(old)
  })
})
