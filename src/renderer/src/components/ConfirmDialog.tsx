import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import { visibleLength } from '../../../shared/visible-text'
import { frameCatalog } from '../i18n/catalog'
import { useT } from '../i18n/useT'
import { Dialog } from './Dialog'
import { TextField } from './Field'

export interface ReasonField {
  label: string
  hint: string
  min: number
  /** Shown when the reason has fewer than `min` visible characters (src/shared/visible-text.ts). */
  tooShort: string
}

interface ConfirmDialogProps {
  open: boolean
  title: string
  confirmLabel: string
  /** Gets the trimmed reason ('' when none is asked). */
  onConfirm(reason: string): void
  onCancel(): void
  /** While the action runs: confirming again is disabled. */
  busy?: boolean
  /** Asks why, before the action runs; the reason goes with it (the audit trail keeps it). */
  reason?: ReasonField
  /**
   * For what cannot be undone: the confirm button stays disabled until this text (a tenant's slug)
   * is typed, so a confirmation cannot be clicked through by habit.
   */
  typeToConfirm?: string
  children?: ReactNode
}

/** "Are you sure?" for a destructive action: what happens, optionally why and a typed confirmation, then Cancel or the action. */
export function ConfirmDialog({ open, title, confirmLabel, onConfirm, onCancel, busy = false, reason, typeToConfirm, children }: ConfirmDialogProps) {
  const t = useT(frameCatalog)
  const formId = useId()
  const [reasonText, setReasonText] = useState('')
  const [reasonError, setReasonError] = useState<string | undefined>()
  const [typed, setTyped] = useState('')
  useEffect(() => {
    if (!open) return
    setReasonText('')
    setReasonError(undefined)
    setTyped('')
  }, [open])
  const typedMatches = typeToConfirm === undefined || typed.trim() === typeToConfirm

  function submit(event: FormEvent) {
    event.preventDefault()
    const trimmed = reasonText.trim()
    if (reason && visibleLength(trimmed) < reason.min) {
      setReasonError(reason.tooShort)
      return
    }
    if (!typedMatches) return
    onConfirm(trimmed)
  }

  return (
    <Dialog
      open={open}
      size="small"
      title={title}
      onClose={onCancel}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('action.cancel')}
          </button>
          <button type="submit" form={formId} className="button button--danger-solid" disabled={busy || !typedMatches}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={submit} noValidate>
        {children}
        {reason ? <TextField label={reason.label} hint={reason.hint} value={reasonText} error={reasonError} autoFocus onChange={(event) => setReasonText(event.target.value)} /> : null}
        {typeToConfirm !== undefined ? (
          <TextField label={t('confirm.typeToConfirm', { text: typeToConfirm })} value={typed} autoComplete="off" spellCheck={false} onChange={(event) => setTyped(event.target.value)} />
        ) : null}
      </form>
    </Dialog>
  )
}
