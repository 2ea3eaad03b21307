import { z } from 'zod'
import { OPERATOR_GROUPS, type OperatorGroup } from '../../capabilities'
import { mutation, query } from '../define'
import type { ConnectionStatus } from './system'

export const sslModeSchema = z.enum(['disable', 'prefer', 'require', 'verify-full'])
export type SslMode = z.infer<typeof sslModeSchema>

/** Saved profiles get random UUIDs; 'demo' and 'env' name the embedded database and DATABASE_URL. */
export const connectionIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Not a connection id')
export const DEMO_CONNECTION_ID = 'demo'
export const ENV_CONNECTION_ID = 'env'

/** Where a server is and who logs in: everything but the password. */
export const connectionParamsSchema = z.strictObject({
  // A host name or IP literal only: no '@', '/' or spaces, so a URL with credentials cannot hide here.
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9._:%[\]-]+$/, 'A host name or IP address'),
  port: z.number().int().min(1).max(65535),
  database: z.string().min(1).max(63),
  user: z.string().min(1).max(63),
  sslMode: sslModeSchema
})
export type ConnectionParams = z.infer<typeof connectionParamsSchema>

/** A saved connection profile as it lives in the settings file: it never holds a password. */
export const connectionProfileSchema = connectionParamsSchema.extend({
  id: connectionIdSchema,
  name: z.string().trim().min(1).max(80)
})
export type ConnectionProfile = z.infer<typeof connectionProfileSchema>

const passwordSchema = z.string().min(1).max(1024)

export interface ConnectionEntry {
  id: string
  name: string
  kind: 'profile' | 'demo' | 'env'
  host: string
  /** Null for the embedded demo while it is not running (it gets a new port each start). */
  port: number | null
  database: string
  user: string
  sslMode: SslMode
  active: boolean
  /** Whether a password is in the keychain (or, for DATABASE_URL, in the URL); never the password. */
  hasPassword: boolean
}

/** One operator of the embedded demo (one per group), for the demo-only operator switch. */
export interface DemoOperatorEntry {
  group: OperatorGroup
  /** The database role it signs in as. */
  operator: string
  signedIn: boolean
}

export interface ConnectionTestResult {
  serverVersion: string
  sessionUser: string
  latencyMs: number
}

export const connectionsProcedures = {
  'connections.list': query(z.strictObject({})).returns<{ connections: ConnectionEntry[] }>(),
  /** Creates a profile (no id) or edits one; an omitted password keeps the one in the keychain. */
  'connections.save': mutation(
    connectionParamsSchema.extend({
      id: connectionIdSchema.optional(),
      name: z.string().trim().min(1).max(80),
      password: passwordSchema.optional()
    })
  ).returns<ConnectionEntry>(),
  /**
   * Tries to log in: a saved connection by id, or a draft from the form. A draft with the id of a
   * saved profile and no password uses the password already in the keychain.
   */
  'connections.test': query(
    z.union([
      z.strictObject({ id: connectionIdSchema }),
      connectionParamsSchema.extend({ id: connectionIdSchema.optional(), password: passwordSchema.optional() })
    ])
  ).returns<ConnectionTestResult>(),
  'connections.remove': mutation(z.strictObject({ id: connectionIdSchema })).returns<{ id: string }>(),
  'connections.activate': mutation(z.strictObject({ id: connectionIdSchema })).returns<ConnectionStatus>(),
  /** The embedded demo only: its operators, one per group, and the one signed in. */
  'connections.demoOperators': query(z.strictObject({})).returns<{ operators: DemoOperatorEntry[] }>(),
  /** The embedded demo only: signs in again as the demo operator of `group` (INVALID on any other connection). */
  'connections.signInDemoAs': mutation(z.strictObject({ group: z.enum(OPERATOR_GROUPS) })).returns<ConnectionStatus>()
} as const
