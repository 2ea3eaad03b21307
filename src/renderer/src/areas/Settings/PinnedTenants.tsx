import { useEffect, useState } from 'react'
import { PINNED_TENANTS_MAX, type SyncSettings } from '../../../../shared/rpc/areas/settings'
import { SearchField, useSearchText } from '../../components/SearchField'
import { Icon } from '../../components/Icon'
import { Panel } from '../../components/Panel'
import { useT } from '../../i18n/useT'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useIsOnline } from '../../stores/connection'
import { notifyError } from '../../stores/notify'
import { useTenantNames } from '../../components/review/ReviewToolbar'
import { useDebounced } from '../../components/useDebounced'
import { settingsCatalog } from './messages'
import { saveSync } from './saveSync'

type Match = { id: string; slug: string; name: string }

/**
 * Tenants synced besides the assigned ones. Pins are kept in the settings file, so removing one
 * works offline; finding a tenant to pin asks the database, so that part waits for the connection.
 */
export function PinnedTenants({ pinned, onSaved }: { pinned: string[]; onSaved(sync: SyncSettings): void }) {
  const t = useT(settingsCatalog)
  const online = useIsOnline()
  const directoryName = useTenantNames()
  // Names seen in search results: a tenant just pinned is named before the directory reloads.
  const [found, setFound] = useState(new Map<string, string>())
  const nameOf = (id: string) => found.get(id) ?? directoryName(id)
  const query = useSearchText()
  const term = useDebounced(query.fitting)
  const [matches, setMatches] = useState<Match[] | null>(null)

  useEffect(() => {
    if (!online || term === '') {
      setMatches(null)
      return
    }
    let current = true
    rpc.call('tenants.search', { query: term, limit: 8 }).then(
      ({ matches: result }) => {
        if (!current) return
        setMatches(result)
        setFound((names) => new Map([...names, ...result.map((m): [string, string] => [m.id, m.name])]))
      },
      (error: unknown) => current && notifyError(error)
    )
    return () => {
      current = false
    }
  }, [term, online])

  const save = (next: string[], message: string) => runMutation(() => saveSync({ pinnedTenantIds: next }), { success: () => message, onSuccess: onSaved })

  const pin = (match: Match) => save([...pinned, match.id], t('sync.pinnedAdded', { name: match.name }))
  const unpin = (id: string) => save(pinned.filter((p) => p !== id), t('sync.unpinned', { name: nameOf(id) }))
  const full = pinned.length >= PINNED_TENANTS_MAX

  return (
    <Panel title={t('sync.pinned')} titleId="sync-pinned-title" level={3} as="div" role="group" testId="sync-pinned" bodyClassName="stack">
      <p className="muted">{t('sync.pinnedHint')}</p>
      {pinned.length === 0 ? (
        <p>{t('sync.pinnedEmpty')}</p>
      ) : (
        <ul className="form-grid" aria-label={t('sync.pinnedListLabel')}>
          {pinned.map((id) => (
            <li key={id} className="form-grid__row">
              <span>{nameOf(id)}</span>
              <button type="button" className="button button--small button--danger" onClick={() => void unpin(id)} aria-label={t('sync.unpinLabel', { name: nameOf(id) })}>
                <Icon name="trash" />
                {t('sync.unpin')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <SearchField
        label={t('sync.search')}
        search={query}
        disabled={!online || full}
        hint={!online ? t('sync.searchOffline') : full ? t('sync.pinnedFull', { max: PINNED_TENANTS_MAX }) : t('sync.searchHint')}
      />
      {matches === null ? null : matches.length === 0 ? (
        <p role="status">{t('sync.noMatches', { query: term })}</p>
      ) : (
        <ul className="form-grid" aria-label={t('sync.matchesLabel')}>
          {matches.map((match) => {
            const isPinned = pinned.includes(match.id)
            return (
              <li key={match.id} className="form-grid__row">
                <span>
                  {match.name} <span className="muted mono">{match.slug}</span>
                </span>
                <button type="button" className="button button--small" disabled={isPinned || full} onClick={() => void pin(match)} aria-label={isPinned ? undefined : t('sync.pinLabel', { name: match.name })}>
                  {isPinned ? <Icon name="check" /> : <Icon name="plus" />}
                  {isPinned ? t('sync.alreadyPinned') : t('sync.pin')}
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </Panel>
  )
}
