import { z } from 'zod'
import { mutation, query } from '../define'

export const languageSchema = z.enum(['en', 'es', 'system'])
export const themeSchema = z.enum(['light', 'dark', 'system'])

/** How the offline cache refreshes itself; read by the sync worker. */
export const syncSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  intervalMinutes: z.number().int().min(1).max(1440),
  /** How many days of executions, audit rows and usage reach the laptop. */
  historyDays: z.number().int().min(1).max(3650)
})

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
    sync: syncSettingsSchema.partial().optional()
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Nothing to update')
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>

export const settingsProcedures = {
  'settings.get': query(z.strictObject({})).returns<Preferences>(),
  'settings.update': mutation(preferencesPatchSchema).returns<Preferences>()
} as const
