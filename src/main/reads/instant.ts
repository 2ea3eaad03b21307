/**
 * A time as a read hands it to a row mapper: the server's ISO text (already truncated to the
 * millisecond by isoMillis) or the cache's epoch milliseconds. Both sources become the same ISO
 * string, so one mapper per row type serves both.
 */
export type Instant = string | number

export function isoInstant(value: Instant): string {
  return typeof value === 'number' ? new Date(value).toISOString() : value
}

export function isoInstantOrNull(value: Instant | null): string | null {
  return value === null ? null : isoInstant(value)
}
