import { useId, useState, type ReactNode } from 'react'
import { useT } from '../../i18n/useT'
import { Icon } from '../Icon'
import { reviewCatalog } from './commonMessages'

/**
 * A JSON value under its heading: a disclosure button (the heading) shows or hides it, a copy
 * button puts it on the clipboard pretty-printed. The value is a collapsible tree (native
 * <details>, so it needs no state and works with the keyboard), in a box tall enough to read that
 * scrolls past its height (issue 15: the boxes had shrunk to one line in the detail panels).
 * Redaction markers from the audit trigger are shown as what they are, never as a value.
 */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const t = useT(reviewCatalog)
  const [open, setOpen] = useState(true)
  const [note, setNote] = useState<string | null>(null)
  const bodyId = useId()
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(JSON.stringify(value, null, 2) ?? 'null')
      setNote(t('json.copied'))
    } catch {
      setNote(t('json.copyFailed'))
    }
  }
  return (
    <section className="json-box">
      <div className="json-box__bar">
        <h3 className="review-detail__heading json-box__heading">
          <button type="button" className="json-box__toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
            <span className="json-box__chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
            {label}
          </button>
        </h3>
        <button type="button" className="button button--small" aria-label={t('json.copy', { label })} onClick={() => void copy()} data-testid="json-copy">
          <Icon name="copy" />
        </button>
        <span className="json-box__note" role="status">{note}</span>
      </div>
      {/* Focusable: a long value scrolls, and the keyboard must be able to scroll it too. */}
      <div id={bodyId} className="json-view" role="group" aria-label={label} tabIndex={0} hidden={!open}>
        <JsonNode value={value} depth={0} />
      </div>
    </section>
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
