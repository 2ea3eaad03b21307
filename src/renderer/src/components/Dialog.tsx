import { useEffect, useId, useRef, type ReactNode } from 'react'
import { frameCatalog } from '../i18n/catalog'
import { useT } from '../i18n/useT'
import { Icon } from './Icon'

/**
 * A modal on the native <dialog>: the browser traps focus, makes the rest inert, closes on Esc and
 * returns focus to the opener. `onClose` fires however it was closed.
 */
export function Dialog({ open, title, onClose, children, footer, size = 'medium' }: { open: boolean; title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; size?: 'small' | 'medium' }) {
  const t = useT(frameCatalog)
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    else if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog ref={ref} className={`dialog dialog--${size}`} aria-labelledby={titleId} onClose={onClose}>
      {open ? (
        <>
          <header className="dialog__header">
            <h2 id={titleId} className="dialog__title">
              {title}
            </h2>
            <button type="button" className="icon-button" aria-label={t('action.close')} onClick={onClose}>
              <Icon name="close" />
            </button>
          </header>
          <div className="dialog__body">{children}</div>
          {footer ? <footer className="dialog__footer">{footer}</footer> : null}
        </>
      ) : null}
    </dialog>
  )
}
