import { frameCatalog } from '../i18n/catalog'
import { errorMessageKey } from '../i18n/errors'
import { translate } from '../i18n/define'
import { RpcError } from '../../../shared/rpc/errors'
import { usePreferences } from './preferences'
import { useToasts } from './toasts'

/** The one place an error becomes a toast: a translated sentence, with the server's detail underneath. */
export function notifyError(error: unknown): void {
  const locale = usePreferences.getState().locale
  const detail = error instanceof RpcError ? error.message : undefined
  useToasts.getState().push({ kind: 'error', title: translate(frameCatalog, locale, errorMessageKey(error)), ...(detail ? { detail } : {}) })
}

export function notifySuccess(title: string): void {
  useToasts.getState().push({ kind: 'success', title })
}
