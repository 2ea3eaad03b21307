import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { Decision, ReasonOption } from '../../../../shared/rpc/areas/marketplace'
import { visibleLength } from '../../../../shared/visible-text'
import { Dialog } from '../../components/Dialog'
import { SelectField } from '../../components/Field'
import { frameCatalog } from '../../i18n/catalog'
import { useT } from '../../i18n/useT'
import { marketplaceCatalog } from './messages'

export interface DecisionRequest {
  decision: Decision
  title: string
  confirmLabel: string
  /** Label and hint of the note, and its minimum in visible characters (0: optional). */
  noteLabel: string
  noteHint: string
  noteMin: number
  /** A sentence above the fields (what happens, a claim taken first). */
  intro?: string
  destructive?: boolean
}

/** The reason a decision starts with where one is the usual case (codes of migrations/012's catalogue). */
const DEFAULT_REASON: Partial<Record<Decision, string>> = { approve: 'meets_guidelines', unhide_review: 'hidden_in_error' }

/**
 * A decision's reason (from the catalogue of migrations/012, for this kind of decision) and its
 * note. Keyboard first: the reason picker has focus when it opens, Tab reaches the note, Enter
 * in the note decides, Esc cancels.
 */
export function DecisionDialog({ request, reasons, busy, onConfirm, onCancel }: {
  request: DecisionRequest | null
  reasons: readonly ReasonOption[]
  busy: boolean
  onConfirm(reasonCode: string, note: string): void
  onCancel(): void
}) {
  const t = useT(marketplaceCatalog)
  const frame = useT(frameCatalog)
  const formId = useId()
  const noteId = useId()
  const options = reasons.filter((r) => r.decision === request?.decision)
  const [reason, setReason] = useState('')
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<{ reason?: string; note?: string }>({})
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (!request) return
    // Approvals have an obvious default; a rejection's reason must be chosen.
    const preferred = DEFAULT_REASON[request.decision]
    setReason(preferred === undefined ? '' : (options.find((o) => o.code === preferred) ?? options[0])?.code ?? '')
    setNote('')
    setErrors({})
    // showModal() (the Dialog's own effect, which runs first) focuses the close button; the
    // keyboard path starts at the reason picker.
    formRef.current?.querySelector('select')?.focus()
  }, [request])

  function submit(event: FormEvent) {
    event.preventDefault()
    const found: { reason?: string; note?: string } = {}
    if (!options.some((o) => o.code === reason)) found.reason = t('decide.pickReason')
    if (visibleLength(note.trim()) < (request?.noteMin ?? 0)) found.note = t('decide.tooShort', { min: request?.noteMin ?? 0 })
    setErrors(found)
    if (found.reason || found.note) return
    onConfirm(reason, note.trim())
  }

  return (
    <Dialog
      open={request !== null}
      size="small"
      title={request?.title ?? ''}
      onClose={onCancel}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {frame('action.cancel')}
          </button>
          <button type="submit" form={formId} className={request?.destructive ? 'button button--danger-solid' : 'button button--primary'} disabled={busy}>
            {request?.confirmLabel}
          </button>
        </>
      }
    >
      {request ? (
        <form ref={formRef} id={formId} className="stack" onSubmit={submit} noValidate>
          {request.intro ? <p className="callout">{request.intro}</p> : null}
          <SelectField
              label={t('decide.reason')}
              value={reason}
              error={errors.reason}
              options={[{ value: '', label: t('decide.pickReason') }, ...options.map((o) => ({ value: o.code, label: o.label }))]}
              onChange={(e) => setReason(e.target.value)}
            />
          <div className={`field${errors.note ? ' field--invalid' : ''}`}>
            <label className="field__label" htmlFor={noteId}>
              {request.noteLabel}
            </label>
            <textarea
              id={noteId}
              className="input marketplace-note"
              rows={3}
              value={note}
              aria-invalid={errors.note ? true : undefined}
              aria-describedby={`${noteId}-hint${errors.note ? ` ${noteId}-error` : ''}`}
              onChange={(e) => setNote(e.target.value)}
              onKeyDown={(e) => {
                // Enter decides, Shift+Enter starts a new line.
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault()
                  e.currentTarget.form?.requestSubmit()
                }
              }}
            />
            {errors.note ? (
              <p id={`${noteId}-error`} className="field__error">
                {errors.note}
              </p>
            ) : null}
            <p id={`${noteId}-hint`} className="field__hint">
              {request.noteHint}
            </p>
          </div>
        </form>
      ) : null}
    </Dialog>
  )
}
