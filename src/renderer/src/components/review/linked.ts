import { hrefOf } from '../../routing/hash'

/** A tenant-owned record of a review area (an execution, an audit entry). */
export interface RecordRef {
  tenantId: string
  id: string
}

/** `#/<area>/open/<tenantId>/<id>`: the record a shared link opens beside the area's list. */
export function linkedRecord(path: readonly string[]): RecordRef | null {
  const [view, tenantId, id] = path
  return view === 'open' && tenantId && id ? { tenantId, id } : null
}

export function recordAddress(area: string, ref: RecordRef): string[] {
  return [area, 'open', ref.tenantId, ref.id]
}

/**
 * Puts the open record (or the bare area) in the address bar without navigating: the list keeps
 * its filters and scroll position, and a reload or a shared copy of the address reopens the record.
 */
export function showInAddress(segments: readonly string[]): void {
  window.history.replaceState(window.history.state, '', hrefOf(segments))
}
