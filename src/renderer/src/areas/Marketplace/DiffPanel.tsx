import type { VersionDiff } from '../../../../shared/rpc/areas/marketplace'
import { ErrorState, LoadingState } from '../../components/states'
import { useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { marketplaceCatalog } from './messages'

function show(value: unknown): string {
  if (value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** What this version changed against the last approved one (or the previous submission): nodes, then each changed parameter. */
export function DiffPanel({ templateId }: { templateId: string }) {
  const t = useT(marketplaceCatalog)
  const query = useRpcQuery('marketplace.diff', { templateId })
  if (!query.data) return query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : <LoadingState />
  const diff: VersionDiff = query.data
  return (
    <section className="panel" aria-labelledby="diff-title" data-testid="diff-panel">
      <header className="panel__header">
        <h3 id="diff-title" className="panel__title">
          {t('diff.title')}
        </h3>
      </header>
      <div className="panel--padded stack">
        {!diff.base || !diff.target ? (
          <p className="muted">{t('diff.first')}</p>
        ) : (
          <>
            <p>{t('diff.against', { target: diff.target.number, base: diff.base.number, kind: t(`diff.kind.${diff.base.kind}`) })}</p>
            {diff.added.length + diff.removed.length + diff.changed.length === 0 ? <p className="muted">{t('diff.same')}</p> : null}
            {diff.added.length > 0 ? (
              <div>
                <h4 className="risk-panel__heading">{t('diff.added')}</h4>
                <ul className="diff-nodes">
                  {diff.added.map((n) => (
                    <li key={n.id} className="diff-added">+ {n.name} <span className="muted mono">{n.type}</span></li>
                  ))}
                </ul>
              </div>
            ) : null}
            {diff.removed.length > 0 ? (
              <div>
                <h4 className="risk-panel__heading">{t('diff.removed')}</h4>
                <ul className="diff-nodes">
                  {diff.removed.map((n) => (
                    <li key={n.id} className="diff-removed">− {n.name} <span className="muted mono">{n.type}</span></li>
                  ))}
                </ul>
              </div>
            ) : null}
            {diff.changed.map((n) => (
              <div key={n.id}>
                <h4 className="risk-panel__heading">
                  {t('diff.changed')}: {n.name}
                </h4>
                <table className="diff-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('diff.path')}</th>
                      <th scope="col">{t('diff.before')}</th>
                      <th scope="col">{t('diff.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {n.changes.map((c) => (
                      <tr key={c.path}>
                        <td className="mono">{c.path}</td>
                        <td className="mono diff-removed">{show(c.before)}</td>
                        <td className="mono diff-added">{show(c.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
            <p className="muted">{t('diff.edges', { added: diff.edgesAdded.length, removed: diff.edgesRemoved.length })}</p>
          </>
        )}
      </div>
    </section>
  )
}
