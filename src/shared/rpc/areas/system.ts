import { z } from 'zod'
import { mutation, query } from '../define'

export const connectionStatusSchema = z.object({
  state: z.enum(['connecting', 'online', 'offline']),
  profileId: z.string(),
  profileName: z.string(),
  demo: z.boolean(),
  /** ISO timestamp of the last completed sync, null when the cache was never filled. */
  lastSyncAt: z.string().nullable(),
  /** The operator's database role, as the server reports session_user. */
  operator: z.string().nullable(),
  groups: z.array(z.string()),
  message: z.string().optional(),
  /** While offline: when the next reconnection attempt is due (ISO), so the frame can count down. */
  nextRetryAt: z.string().nullable().optional()
})
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>

export const systemProcedures = {
  'system.ping': query(z.object({}).strict()).returns<{ ok: true; version: string }>(),
  'system.status': query(z.object({}).strict()).returns<ConnectionStatus>(),
  /** "Reconnect now": try at once instead of waiting for the next attempt; answers the status after it. */
  'system.reconnect': mutation(z.object({}).strict()).returns<ConnectionStatus>()
} as const
