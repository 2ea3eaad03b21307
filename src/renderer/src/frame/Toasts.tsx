import { frameCatalog } from '../i18n/catalog'
import { useT } from '../i18n/useT'
import { useToasts } from '../stores/toasts'
import { Icon } from '../components/Icon'

const ICONS = { error: 'alert', success: 'check', info: 'info' } as const

export function Toasts() {
  const t = useT(frameCatalog)
  const { toasts, dismiss } = useToasts()
  return (
    <section className="toasts" aria-label={t('frame.notifications')}>
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast--${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <Icon name={ICONS[toast.kind]} className="toast__icon" />
          <div className="toast__text">
            <p className="toast__title">{toast.title}</p>
            {toast.detail ? <p className="toast__detail">{toast.detail}</p> : null}
          </div>
          <button type="button" className="icon-button" aria-label={t('toast.dismiss')} onClick={() => dismiss(toast.id)}>
            <Icon name="close" />
          </button>
        </div>
      ))}
    </section>
  )
}
