import { z } from 'zod'
import { mutation, query } from '../define'
import { tenantIdSchema } from './tenants'

export const languageSchema = z.enum(['en', 'es', 'system'])
export const themeSchema = z.enum(['light', 'dark', 'system'])

export const INTERVAL_MINUTES_MAX = 1440
export const WINDOW_DAYS_MAX = 3650
export const PINNED_TENANTS_MAX = 200

const windowDaysSchema = z.number().int('Whole days').min(1, 'At least 1 day').max(WINDOW_DAYS_MAX, `At most ${WINDOW_DAYS_MAX} days`)

/**
 * Days kept in the offline cache, per synced table (the sync engine's table names). Execution
 * steps have no window of their own: they follow executions, so a cached execution always comes
 * with its whole timeline. The daily usage rollups have their own, longer window (rollupDays).
 */
export const syncWindowDaysSchema = z.strictObject({
  executions: windowDaysSchema,
  audit_logs: windowDaysSchema,
  usage_records: windowDaysSchema
})
export type SyncWindowDays = z.infer<typeof syncWindowDaysSchema>
export const WINDOWED_TABLES = syncWindowDaysSchema.keyof().options

/** How the offline cache refreshes itself and what it holds; read by the sync worker. */
export const syncSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  intervalMinutes: z.number().int('Whole minutes').min(1, 'At least 1 minute').max(INTERVAL_MINUTES_MAX, `At most ${INTERVAL_MINUTES_MAX} minutes`),
  windowDays: syncWindowDaysSchema,
  /** Days of daily usage rollups kept offline: 400 lets a year-on-year comparison work on a plane. */
  rollupDays: windowDaysSchema.default(400),
  /** Synced besides the assigned tenants, while the server still shows them (e.g. break-glass access). */
  pinnedTenantIds: z
    .array(tenantIdSchema)
    .max(PINNED_TENANTS_MAX, `At most ${PINNED_TENANTS_MAX} pinned tenants`)
    .refine((ids) => new Set(ids).size === ids.length, 'A tenant is pinned twice')
})
export type SyncSettings = z.infer<typeof syncSettingsSchema>

export const preferencesSchema = z.strictObject({
  language: languageSchema,
  theme: themeSchema,
  sync: syncSettingsSchema
})
export type Preferences = z.infer<typeof preferencesSchema>
export type Language = z.infer<typeof languageSchema>
export type Theme = z.infer<typeof themeSchema>

export const preferencesPatchSchema = z
  .strictObject({
    language: languageSchema.optional(),
    theme: themeSchema.optional(),
    // One table's window can change without restating the others.
    sync: syncSettingsSchema.extend({ windowDays: syncWindowDaysSchema.partial() }).partial().optional()
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Nothing to update')
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>

export const settingsProcedures = {
  'settings.get': query(z.strictObject({})).returns<Preferences>(),
  'settings.update': mutation(preferencesPatchSchema).returns<Preferences>()
} as const
