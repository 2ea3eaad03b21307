import type { Capability } from '../../shared/capabilities'
import type { InboxItem } from '../../shared/rpc/areas/inbox'
import type { Backend } from '../backend-types'

/**
 * One source of inbox items, written by the area that handles them in its own domain
 * (src/main/domains/<area>/inbox.ts) and listed in ./providers.ts. The inbox asks only the
 * providers the operator's groups allow (`capability`), each on its own: one that fails leaves a
 * gap the screen names, never an empty inbox that looks like "all is well".
 */
export interface InboxProvider {
  id: string
  /** The area that handles (and words) its items; every item it returns names this area. */
  area: string
  capability: Capability
  /** Reads the database: while offline it is not asked, and the inbox says so. */
  needsDatabase: boolean
  collect(backend: Backend, now: Date): Promise<InboxItem[]>
}
