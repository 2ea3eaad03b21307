import { ErrorState, LoadingState } from '../../components/states'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { marketplaceCatalog } from './messages'

const ACTIONS = ['submit', 'claim', 'release', 'approve', 'reject', 'publish', 'take_down', 'hide_review', 'unhide_review'] as const
type HistoryAction = (typeof ACTIONS)[number]

/** The template's moderation history (moderation_history, newest first): who did what, why, on which version. */
export function HistoryTab({ templateId }: { templateId: string }) {
  const t = useT(marketplaceCatalog)
  const locale = useLocale()
  const query = useRpcQuery('marketplace.history', { templateId })
  if (!query.data) return query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : <LoadingState />
  return (
    <section className="panel" aria-labelledby="history-title" data-testid="history-panel">
      <header className="panel__header">
        <h3 id="history-title" className="panel__title">
          {t('history.title')}
        </h3>
      </header>
      <div className="panel--padded">
        {query.data.entries.length === 0 ? <p className="muted">{t('history.empty')}</p> : null}
        <ol className="history-list">
          {query.data.entries.map((e) => (
            <li key={e.id}>
              <strong>{t('history.entry', { action: (ACTIONS as readonly string[]).includes(e.action) ? t(`history.action.${e.action as HistoryAction}`) : e.action, actor: e.actor })}</strong>
              <span className="muted">
                {' '}
                · {formatDateTime(e.at, locale)}
                {e.versionNumber !== null ? ` · ${t('history.version', { number: e.versionNumber })}` : ''}
                {e.reasonCode ? ` · ${e.reasonCode}` : ''}
              </span>
              {e.note ? <p className="history-note">{e.note}</p> : null}
            </li>
          ))}
        </ol>
      </div>
    </section>
  )
}
