import { z } from 'zod'
import { connectionIdSchema, connectionProfileSchema } from '../../shared/rpc/areas/connections'
import { preferencesSchema, type Preferences } from '../../shared/rpc/areas/settings'

export const windowBoundsSchema = z.strictObject({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(100_000),
  height: z.number().int().min(150).max(100_000),
  maximized: z.boolean()
})
export type WindowBounds = z.infer<typeof windowBoundsSchema>

/**
 * Everything the settings file may hold. Every object is strict (additionalProperties: false), so
 * a password, token or any field not listed here is refused on write: the file holds no secret.
 */
export const settingsFileSchema = z.strictObject({
  ...preferencesSchema.shape,
  profiles: z.array(connectionProfileSchema).max(100),
  /** Null: the embedded demo database. */
  activeProfileId: connectionIdSchema.nullable(),
  windowBounds: windowBoundsSchema.nullable()
})
export type SettingsFile = z.infer<typeof settingsFileSchema>

export const defaultPreferences: Preferences = {
  language: 'system',
  theme: 'system',
  sync: { enabled: true, intervalMinutes: 15, windowDays: { executions: 90, audit_logs: 90, usage_records: 90 }, rollupDays: 400, pinnedTenantIds: [] }
}

export const defaultSettings: SettingsFile = {
  ...defaultPreferences,
  profiles: [],
  activeProfileId: null,
  windowBounds: null
}

/**
 * The same schema as JSON Schema for conf / electron-store (they validate with ajv on every read
 * and write), derived from the zod schema so the two can never disagree.
 */
export function settingsJsonSchema() {
  const { $schema: _draft, properties, ...root } = z.toJSONSchema(settingsFileSchema, { target: 'draft-2020-12', io: 'input' }) as {
    $schema?: string
    properties: Record<string, object>
  } & Record<string, unknown>
  return { properties, root }
}
