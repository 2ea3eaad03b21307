/** The time in an export's file name: 20260101-120000 (UTC), sortable and valid on every file system. */
export function exportTimestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')
}
