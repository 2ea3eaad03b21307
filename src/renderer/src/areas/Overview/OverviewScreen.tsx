import { useConnection } from '../../stores/connection'
import { Fact, Facts } from '../../components/Facts'
import { PageHeader } from '../../components/PageHeader'
import { Panel } from '../../components/Panel'
import { Icon } from '../../components/Icon'
import { ErrorState, LoadingState } from '../../components/states'
import { frameCatalog } from '../../i18n/catalog'
import { connectionName } from '../../i18n/connectionName'
import { formatDateTime, formatRelative } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { InboxPanel } from './InboxPanel'
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
        <InboxPanel />
        <div className="card-grid">
          <Panel
            title={t('connection.heading')}
            titleId="overview-connection"
            icon="database"
            footer={
              <a className="link" href={hrefOf(['settings', 'connections'])}>
                {t('connection.manage')}
                <Icon name="arrowRight" size={14} />
              </a>
            }
          >
            <Facts>
              <Fact label={t('connection.state')}>
                <span className="state-pill" data-state={status.state}>
                  <span className="connection__dot" aria-hidden="true" />
                  {stateText}
                </span>
              </Fact>
              <Fact label={t('connection.profile')} testId="overview-profile">
                {connectionName({ demo: status.demo, name: status.profileName }, locale)}
              </Fact>
              <Fact label={t('connection.database')}>{status.demo ? t('connection.demo') : t('connection.configured')}</Fact>
              <Fact label={t('connection.lastSync')}>
                {status.lastSyncAt ? (
                  <time dateTime={status.lastSyncAt} title={formatDateTime(status.lastSyncAt, locale)}>
                    {formatRelative(status.lastSyncAt, new Date(), locale)}
                  </time>
                ) : (
                  t('connection.neverSynced')
                )}
              </Fact>
              {status.message ? <Fact label={t('connection.message')}>{status.message}</Fact> : null}
            </Facts>
          </Panel>

          <Panel title={t('operator.heading')} titleId="overview-operator" icon="user">
            <Facts>
              <Fact label={t('operator.role')} mono={status.operator !== null} muted={status.operator === null} testId="overview-operator">
                {status.operator ?? t('operator.unknown')}
              </Fact>
            </Facts>
            <p className="panel__note muted">{t('operator.note')}</p>
          </Panel>

          <Panel title={t('groups.heading')} titleId="overview-groups" icon="users">
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
          </Panel>
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
