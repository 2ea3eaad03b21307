import type { ReactNode } from 'react'

/**
 * JSON as a collapsible tree (native <details>, so it needs no state and works with the keyboard).
 * Redaction markers from the audit trigger are shown as what they are, never as a value.
 */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    // Focusable: a long value scrolls, and the keyboard must be able to scroll it too.
    <div className="json-view" role="group" aria-label={label} tabIndex={0}>
      <JsonNode value={value} depth={0} />
    </div>
  )
}

export function isRedacted(value: unknown): value is { redacted: true; fingerprint: string } {
  return typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true && typeof (value as { fingerprint?: unknown }).fingerprint === 'string'
}

export function RedactedValue({ fingerprint }: { fingerprint: string }) {
  return (
    <span className="json-view__redacted" title={`SHA-256 ${fingerprint}…`}>
      redacted · {fingerprint}
    </span>
  )
}

function JsonNode({ value, depth }: { value: unknown; depth: number }): ReactNode {
  if (isRedacted(value)) return <RedactedValue fingerprint={value.fingerprint} />
  if (value === null || typeof value !== 'object') return <Scalar value={value} />
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  if (entries.length === 0) return <span className="json-view__punct">{open + close}</span>
  return (
    <details open={depth < 2} className="json-view__node">
      <summary>
        <span className="json-view__punct">{open}</span>
        <span className="json-view__count"> {entries.length} </span>
        <span className="json-view__punct">{close}</span>
      </summary>
      <ul>
        {entries.map(([key, child]) => (
          <li key={key}>
            <span className="json-view__key">{Array.isArray(value) ? key : JSON.stringify(key)}</span>
            <span className="json-view__punct">: </span>
            <JsonNode value={child} depth={depth + 1} />
          </li>
        ))}
      </ul>
    </details>
  )
}

function Scalar({ value }: { value: unknown }) {
  const kind = value === null ? 'null' : typeof value
  return <span className={`json-view__scalar json-view__scalar--${kind}`}>{value === undefined ? '—' : JSON.stringify(value)}</span>
}
