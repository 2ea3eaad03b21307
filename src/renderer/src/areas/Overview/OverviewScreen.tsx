import { useConnection } from '../../stores/connection'
import { PageHeader } from '../../components/PageHeader'
import { Icon } from '../../components/Icon'
import { ErrorState, LoadingState } from '../../components/states'
import { frameCatalog } from '../../i18n/catalog'
import { formatDateTime, formatRelative } from '../../i18n/relativeTime'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { overviewCatalog } from './messages'

const KNOWN_GROUPS = ['support', 'moderator', 'finance', 'admin'] as const
type KnownGroup = (typeof KNOWN_GROUPS)[number]

/** Group roles carry the deployment's prefix (avia_support); the console names them by what follows. */
function knownGroup(group: string): KnownGroup | undefined {
  return KNOWN_GROUPS.find((known) => group === known || group.endsWith(`_${known}`))
}

export default function OverviewScreen() {
  const t = useT(overviewCatalog)
  const tf = useT(frameCatalog)
  const locale = useLocale()
  const { status, error, refresh } = useConnection()

  let body
  if (!status && error) body = <ErrorState error={error} onRetry={() => void refresh()} />
  else if (!status) body = <LoadingState />
  else {
    const stateText = status.state === 'online' ? tf('status.online') : status.state === 'connecting' ? tf('status.connecting') : tf('status.offline')
    body = (
      <>
        {status.state === 'connecting' ? (
          <section className="panel panel--padded callout" aria-labelledby="starting-title">
            <h2 id="starting-title" className="panel__title">
              {t('starting.title')}
            </h2>
            <p className="muted">{t('starting.body')}</p>
          </section>
        ) : null}
        <div className="card-grid">
          <section className="panel" aria-labelledby="overview-connection">
            <header className="panel__header">
              <Icon name="database" />
              <h2 id="overview-connection" className="panel__title">
                {t('connection.heading')}
              </h2>
            </header>
            <dl className="facts">
              <div>
                <dt>{t('connection.state')}</dt>
                <dd>
                  <span className="state-pill" data-state={status.state}>
                    <span className="connection__dot" aria-hidden="true" />
                    {stateText}
                  </span>
                </dd>
              </div>
              <div>
                <dt>{t('connection.profile')}</dt>
                <dd data-testid="overview-profile">{status.profileName}</dd>
              </div>
              <div>
                <dt>{t('connection.database')}</dt>
                <dd>{status.demo ? t('connection.demo') : t('connection.configured')}</dd>
              </div>
              <div>
                <dt>{t('connection.lastSync')}</dt>
                <dd>
                  {status.lastSyncAt ? (
                    <time dateTime={status.lastSyncAt} title={formatDateTime(status.lastSyncAt, locale)}>
                      {formatRelative(status.lastSyncAt, new Date(), locale)}
                    </time>
                  ) : (
                    t('connection.neverSynced')
                  )}
                </dd>
              </div>
              {status.message ? (
                <div>
                  <dt>{t('connection.message')}</dt>
                  <dd>{status.message}</dd>
                </div>
              ) : null}
            </dl>
            <footer className="panel__footer">
              <a className="link" href={hrefOf(['settings', 'connections'])}>
                {t('connection.manage')}
                <Icon name="arrowRight" size={14} />
              </a>
            </footer>
          </section>

          <section className="panel" aria-labelledby="overview-operator">
            <header className="panel__header">
              <Icon name="user" />
              <h2 id="overview-operator" className="panel__title">
                {t('operator.heading')}
              </h2>
            </header>
            <dl className="facts">
              <div>
                <dt>{t('operator.role')}</dt>
                <dd className={status.operator ? 'mono' : 'muted'} data-testid="overview-operator">
                  {status.operator ?? t('operator.unknown')}
                </dd>
              </div>
            </dl>
            <p className="panel__note muted">{t('operator.note')}</p>
          </section>

          <section className="panel" aria-labelledby="overview-groups">
            <header className="panel__header">
              <Icon name="users" />
              <h2 id="overview-groups" className="panel__title">
                {t('groups.heading')}
              </h2>
            </header>
            {status.groups.length === 0 ? (
              <p className="panel__note muted">{status.operator ? t('groups.none') : t('operator.unknown')}</p>
            ) : (
              <ul className="group-list" data-testid="overview-groups">
                {status.groups.map((group) => {
                  const known = knownGroup(group)
                  return (
                    <li key={group}>
                      <span className="badge badge--accent mono">{group}</span>
                      {known ? <span className="muted">{t(`groups.${known}`)}</span> : null}
                    </li>
                  )
                })}
              </ul>
            )}
          </section>
        </div>
      </>
    )
  }

  return (
    <div className="screen">
      <PageHeader title={t('area.title')} description={t('area.description')} />
      {body}
    </div>
  )
}
