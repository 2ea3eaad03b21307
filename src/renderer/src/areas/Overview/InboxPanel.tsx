import type { InboxItem } from '../../../../shared/rpc/areas/inbox'
import { Icon } from '../../components/Icon'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { translate, type Locale } from '../../i18n/define'
import { formatDateTime, formatRelative } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { useInbox } from '../../stores/inbox'
import { areas } from '../registry'
import { overviewCatalog } from './messages'
import './overview.css'

function areaTitle(areaId: string, locale: Locale): string {
  const area = areas.find((candidate) => candidate.id === areaId)
  return area ? translate(area.catalog, locale, 'area.title') : areaId
}

/** Each item is worded by the area that handles it (its defineArea's `inbox`), in its own catalog. */
function wordingOf(item: InboxItem, locale: Locale) {
  const worded = areas.find((candidate) => candidate.id === item.area)?.inbox?.(item, locale)
  return { area: areaTitle(item.area, locale), title: worded?.title ?? item.kind, detail: worded?.detail ?? '' }
}

/**
 * The home inbox: what needs the signed-in operator, critical first, each a link to where it is
 * handled. The server asks only what the operator's groups may use; what it could not ask (offline,
 * or a failed check) is said, so an empty list never hides a check that did not run.
 */
export function InboxPanel() {
  const t = useT(overviewCatalog)
  const locale = useLocale()
  const { inbox, error, loading, refresh } = useInbox()

  let body
  if (!inbox && error) body = <ErrorState error={error} onRetry={() => void refresh()} />
  else if (!inbox) body = <LoadingState />
  else {
    const gapAreas = [...new Set(inbox.gaps.map((gap) => areaTitle(gap.area, locale)))]
    body = (
      <>
        {inbox.items.length === 0 ? (
          <EmptyState icon="check" title={t('inbox.empty')}>
            {t('inbox.emptyBody')}
          </EmptyState>
        ) : (
          <ul className="inbox-list" aria-labelledby="overview-inbox">
            {inbox.items.map((item) => {
              const worded = wordingOf(item, locale)
              return (
                <li key={item.id}>
                  <a className="inbox-item" href={hrefOf(item.href)} data-severity={item.severity} data-testid="inbox-item">
                    <Icon name={item.severity === 'critical' ? 'alert' : 'info'} className="inbox-item__icon" />
                    <span className="inbox-item__text">
                      <span className="inbox-item__title">{worded.title}</span>
                      <span className="inbox-item__detail">{worded.detail}</span>
                    </span>
                    <span className="inbox-item__area">
                      <span className="visually-hidden">{t(`inbox.severity.${item.severity}`)} · </span>
                      {worded.area}
                    </span>
                    <Icon name="arrowRight" size={14} />
                  </a>
                </li>
              )
            })}
          </ul>
        )}
        {gapAreas.length > 0 ? (
          <p className="callout inbox-gaps" data-testid="inbox-gaps">
            {t(inbox.gaps.every((gap) => gap.reason === 'offline') ? 'inbox.gapsOffline' : 'inbox.gapsFailed', { areas: new Intl.ListFormat(locale, { type: 'conjunction' }).format(gapAreas) })}
          </p>
        ) : null}
      </>
    )
  }

  return (
    <section className="panel inbox" aria-labelledby="overview-inbox" data-testid="inbox">
      <header className="panel__header">
        <Icon name="alert" />
        <h2 id="overview-inbox" className="panel__title">
          {t('inbox.heading')}
        </h2>
        {inbox ? (
          <span className="inbox__checked muted">
            {t('inbox.checked')}{' '}
            <time dateTime={inbox.checkedAt} title={formatDateTime(inbox.checkedAt, locale)}>
              {formatRelative(inbox.checkedAt, new Date(), locale)}
            </time>
          </span>
        ) : null}
        <button type="button" className="button button--ghost inbox__refresh" onClick={() => void refresh()} disabled={loading}>
          <Icon name="refresh" />
          {t('inbox.refresh')}
        </button>
      </header>
      {body}
    </section>
  )
}
