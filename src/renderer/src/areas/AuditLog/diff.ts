/** One line of the side-by-side diff: a leaf path with its value before and after. */
export interface DiffLine {
  path: string
  before: unknown
  after: unknown
  change: 'added' | 'removed' | 'changed' | 'same'
}

const ABSENT = Symbol('absent')

function isRedactionMarker(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true
}

/** Flattens to dotted leaf paths; a redaction marker is a leaf (its fingerprint is what changed). */
function leaves(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !isRedactionMarker(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, out)
  } else if (prefix || value !== null) out.set(prefix || '(value)', value)
}

/** Old and new values of an audit entry, aligned by field, in the order fields first appear. */
export function diffValues(before: unknown, after: unknown): DiffLine[] {
  const old = new Map<string, unknown>()
  const next = new Map<string, unknown>()
  leaves(before, '', old)
  leaves(after, '', next)
  const paths = [...new Set([...old.keys(), ...next.keys()])]
  return paths.map((path) => {
    const b = old.has(path) ? old.get(path) : ABSENT
    const a = next.has(path) ? next.get(path) : ABSENT
    const change = b === ABSENT ? 'added' : a === ABSENT ? 'removed' : JSON.stringify(a) === JSON.stringify(b) ? 'same' : 'changed'
    return { path, before: b === ABSENT ? undefined : b, after: a === ABSENT ? undefined : a, change }
  })
}
