import type { ReactNode } from 'react'
import { frameCatalog } from '../i18n/catalog'
import { errorMessageKey } from '../i18n/errors'
import { useT } from '../i18n/useT'
import { RpcError } from '../../../shared/rpc/errors'
import { Icon, type IconName } from './Icon'

/** The three states every screen has besides "here is the data", so they look the same everywhere. */
export function LoadingState({ label }: { label?: string }) {
  const t = useT(frameCatalog)
  return (
    <div className="state" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('state.loading')}</span>
    </div>
  )
}

export function EmptyState({ icon = 'info', title, children, action }: { icon?: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state--empty">
      <Icon name={icon} size={28} className="state__icon" />
      <p className="state__title">{title}</p>
      {children ? <div className="state__body">{children}</div> : null}
      {action ? <div className="state__action">{action}</div> : null}
    </div>
  )
}

export function ErrorState({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const t = useT(frameCatalog)
  return (
    <div className="state state--error" role="alert">
      <Icon name="alert" size={28} className="state__icon" />
      <p className="state__title">{title ?? t('state.errorTitle')}</p>
      <p className="state__body">{t(errorMessageKey(error))}</p>
      {error instanceof RpcError ? <p className="state__detail">{error.message}</p> : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          <Icon name="refresh" />
          {t('state.retry')}
        </button>
      ) : null}
    </div>
  )
}
