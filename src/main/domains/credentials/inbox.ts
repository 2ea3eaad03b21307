import { CREDENTIAL_DUE_DAYS } from '../../../shared/rpc/areas/credentials'
import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import { RpcError } from '../../../shared/rpc/errors'
import type { InboxProvider } from '../../inbox/provider'
import { isoMillis } from '../../reads/sql'

export interface CredentialsDue {
  overdue: number
  dueSoon: number
  /** The longest-expired overdue credential's expiry, and the soonest due one's (ISO). */
  firstExpiredAt: string | null
  nextExpiresAt: string | null
}

/**
 * Credentials past their expiry (overdue, urgent) and within CREDENTIAL_DUE_DAYS of it (due), as
 * the credentials list words them: one item each, opening the list filtered the same way. Support
 * sees its own tenants' (and asks for a roll from there); admins all of theirs.
 */
export function credentialsDueItems(c: CredentialsDue, now: Date): InboxItem[] {
  const base = { area: 'credentials', tenant: null } as const
  const items: InboxItem[] = []
  if (c.overdue > 0) {
    items.push({ ...base, id: 'credentialsOverdue', kind: 'credentialsOverdue', severity: 'critical', href: ['credentials', 'due', 'overdue'], values: { count: c.overdue }, at: c.firstExpiredAt ?? now.toISOString() })
  }
  if (c.dueSoon > 0) {
    items.push({ ...base, id: 'credentialsDue', kind: 'credentialsDue', severity: 'warning', href: ['credentials', 'due', 'due'], values: { count: c.dueSoon, days: CREDENTIAL_DUE_DAYS }, at: c.nextExpiresAt ?? now.toISOString() })
  }
  return items
}

/** app.credentials_due (migrations/021): figures only, support and admin only, read by the expiry index up to the notice horizon. */
export const credentialsDue: InboxProvider = {
  id: 'credentials.due',
  area: 'credentials',
  capability: 'area.credentials',
  needsDatabase: true,
  async collect(backend, now) {
    if (!backend.db) throw new RpcError('OFFLINE', 'The database cannot be reached.')
    const { rows } = await backend.db.withPlatform((client) =>
      client.query<{ overdue: string; due_soon: string; first_expired_at: string | null; next_expires_at: string | null }>(
        `select d.overdue, d.due_soon, ${isoMillis('d.first_expired_at')} as first_expired_at, ${isoMillis('d.next_expires_at')} as next_expires_at
           from app.credentials_due($1) d`,
        [CREDENTIAL_DUE_DAYS]
      )
    )
    const row = rows[0]!
    return credentialsDueItems({ overdue: Number(row.overdue), dueSoon: Number(row.due_soon), firstExpiredAt: row.first_expired_at, nextExpiresAt: row.next_expires_at }, now)
  }
}
