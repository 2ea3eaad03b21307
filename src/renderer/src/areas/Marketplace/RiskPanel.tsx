import type { RiskReportDto } from '../../../../shared/rpc/areas/marketplace'
import { useT } from '../../i18n/useT'
import { marketplaceCatalog } from './messages'
import { RiskBadge } from './RiskBadge'

/** The static analysis of the version: every finding names its node and shows it; the level comes last, as the verdict. */
export function RiskPanel({ report, nodeNames, onShowNode }: { report: RiskReportDto; nodeNames: ReadonlyMap<string, string>; onShowNode(nodeId: string): void }) {
  const t = useT(marketplaceCatalog)
  return (
    <section className="panel risk-panel" aria-labelledby="risk-title" data-testid="risk-panel">
      <header className="panel__header">
        <h3 id="risk-title" className="panel__title">
          {t('risk.title')}
        </h3>
        <span className="muted">{t('risk.findings', { count: report.findings.length })}</span>
      </header>
      <div className="panel--padded stack">
        <div>
          <h4 className="risk-panel__heading">{t('risk.hosts')}</h4>
          {report.hosts.length === 0 ? (
            <p className="muted">{t('risk.noHosts')}</p>
          ) : (
            <ul className="risk-hosts" data-testid="risk-hosts">
              {report.hosts.map((h) => (
                <li key={h} className="mono">
                  {h}
                </li>
              ))}
            </ul>
          )}
        </div>
        {report.findings.length === 0 ? <p className="muted">{t('risk.none')}</p> : null}
        <ol className="risk-findings">
          {report.findings.map((f, i) => (
            <li key={`${f.nodeId}-${f.kind}-${f.path}-${i}`} className={`risk-finding risk-finding--${f.severity}`} data-kind={f.kind}>
              <div className="risk-finding__head">
                <RiskBadge level={f.severity} />
                <span className="risk-finding__message">{f.message}</span>
              </div>
              {f.nodeId ? (
                <button type="button" className="link risk-finding__node" onClick={() => onShowNode(f.nodeId)}>
                  {t('risk.show')}: {nodeNames.get(f.nodeId) ?? f.nodeId}
                  {f.path ? <span className="muted"> · {f.path}</span> : null}
                </button>
              ) : null}
              {f.evidence && f.kind === 'code_node' ? (
                <pre className="risk-code" aria-label={t('risk.code')} tabIndex={0}>
                  {f.evidence}
                </pre>
              ) : f.evidence ? (
                <code className="risk-evidence">{f.evidence}</code>
              ) : null}
            </li>
          ))}
        </ol>
        <p className="muted">
          {t('risk.stats', { nodes: report.stats.nodes, edges: report.stats.edges, fan: report.stats.maxFanOut, loop: report.stats.largestLoop })}
        </p>
        <p className="risk-verdict" data-testid="risk-level">
          {t('risk.level')}: <RiskBadge level={report.level} />
        </p>
      </div>
    </section>
  )
}
