import { useEffect, useState } from 'react'
import { frameCatalog } from '../i18n/catalog'
import { connectionName } from '../i18n/connectionName'
import { formatRelative } from '../i18n/format'
import { useLocale, useT } from '../i18n/useT'
import { Icon } from '../components/Icon'
import { useConnection } from '../stores/connection'
import { notifyError } from '../stores/notify'

/** Re-render every 30 s so "last synced 3 minutes ago" does not freeze. */
function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

export function ConnectionIndicator() {
  const t = useT(frameCatalog)
  const locale = useLocale()
  const now = useNow(30_000)
  const status = useConnection((state) => state.status)
  const reconnect = useConnection((state) => state.reconnect)
  const [reconnecting, setReconnecting] = useState(false)
  const state = status?.state ?? 'connecting'
  let text: string
  if (state === 'online') text = t('status.online')
  else if (state === 'connecting') text = t('status.connecting')
  else text = status?.lastSyncAt ? t('status.offlineSynced', { when: formatRelative(status.lastSyncAt, now, locale) }) : t('status.offlineNeverSynced')
  const profileName = status ? connectionName({ demo: status.demo, name: status.profileName }, locale) : ''
  const title = [profileName, status?.demo ? t('status.demo') : null, status?.message].filter(Boolean).join(' · ')
  return (
    <div className="connection-bar">
      <div className="connection" data-state={state} role="status" aria-live="polite" title={title || undefined} data-testid="connection-status">
        <span className="connection__dot" aria-hidden="true" />
        <span className="visually-hidden">{t('status.label')}: </span>
        <span className="connection__text">{text}</span>
        {profileName ? <span className="connection__profile">{profileName}</span> : null}
      </div>
      {/* Outside the live region: the status is announced, the action is a control of its own. */}
      {state === 'offline' ? (
        <button
          type="button"
          className="button button--small"
          disabled={reconnecting}
          onClick={() => {
            setReconnecting(true)
            reconnect()
              .catch(notifyError)
              .finally(() => setReconnecting(false))
          }}
        >
          <Icon name="refresh" />
          {t('status.reconnect')}
        </button>
      ) : null}
    </div>
  )
}
