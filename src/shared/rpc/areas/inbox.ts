import { z } from 'zod'
import { query } from '../define'

/**
 * The home inbox: what needs the signed-in operator now, across areas. The inbox owns no data:
 * each area contributes items from its own domain (a provider in src/main/domains/<area>/inbox.ts,
 * listed in src/main/inbox/providers.ts) and words them in its own catalog (the `inbox` of its
 * defineArea). See docs/adding-an-area.md, "The inbox".
 */

export const INBOX_SEVERITIES = ['warning', 'critical'] as const
export type InboxSeverity = (typeof INBOX_SEVERITIES)[number]

export interface InboxItem {
  /** Stable while the condition lasts (`<kind>:<subject>`), so a refresh does not reshuffle the list. */
  id: string
  /** The area that handles the item (its address segment and the catalog that words it). */
  area: string
  /** What happened, as the area names it ('overLimit'); the area's inbox wording reads it. */
  kind: string
  severity: InboxSeverity
  /** Where the item is handled: the address segments (#/tenants/<id>/limits). */
  href: string[]
  tenant: { id: string; name: string } | null
  /** Figures the wording interpolates, raw (numbers, ISO times): the renderer formats them for the locale. */
  values: Record<string, string | number>
  /** When the item is due or was noticed (ISO): the inbox lists critical first, then the soonest. */
  at: string
}

/** Why a provider contributed nothing this time; the inbox says so instead of pretending all is well. */
export type InboxGap = 'offline' | 'failed'

export interface Inbox {
  items: InboxItem[]
  checkedAt: string
  /** Providers that could not be asked (their area words the gap), by provider id. */
  gaps: { provider: string; area: string; reason: InboxGap }[]
}

export const inboxProcedures = {
  'inbox.list': query(z.strictObject({})).returns<Inbox>()
} as const

const SEVERITY_ORDER: Record<InboxSeverity, number> = { critical: 0, warning: 1 }

/** Critical first, then the soonest (a grant ending in 5 minutes before one ending in 20), then by id for a stable order. */
export function compareInboxItems(a: InboxItem, b: InboxItem): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.at.localeCompare(b.at) || a.id.localeCompare(b.id)
}
