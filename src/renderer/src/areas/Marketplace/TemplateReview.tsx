import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { RISK_LEVELS, type ReasonOption, type RiskLevel, type TemplateDetail } from '../../../../shared/rpc/areas/marketplace'
import { useGate } from '../../capabilities/useGate'
import { Fact, Facts } from '../../components/Facts'
import { Icon } from '../../components/Icon'
import { JsonView } from '../../components/review/JsonView'
import { ErrorState, LoadingState } from '../../components/states'
import { formatDateTime, formatNumber } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { DiffPanel } from './DiffPanel'
import { formatMoney, formatRating } from './format'
import { HistoryTab } from './HistoryTab'
import { MarketTab } from './MarketTab'
import { marketplaceCatalog } from './messages'
import { StateBadge } from './RiskBadge'
import { RiskPanel } from './RiskPanel'
import type { Target, useModeration } from './useModeration'
import { WorkflowGraphView } from './WorkflowGraphView'

const TABS = ['graph', 'diff', 'market', 'history'] as const
type Tab = (typeof TABS)[number]

export function targetOf(detail: TemplateDetail): Target {
  return { id: detail.id, version: detail.version, name: detail.name, status: detail.status, claimedByMe: detail.claimedByMe }
}

/** The decisions the template's state allows, each gated by its capability. */
function Actions({ detail, moderation }: { detail: TemplateDetail; moderation: ReturnType<typeof useModeration> }) {
  const t = useT(marketplaceCatalog)
  const claimGate = useGate('marketplace.claim')
  const decideGate = useGate('marketplace.decide')
  const publishGate = useGate('marketplace.publish')
  const takeDownGate = useGate('marketplace.takeDown')
  const target = targetOf(detail)
  const queued = detail.status === 'submitted' || detail.status === 'in_review'
  return (
    <div className="mq-actions">
      {queued && !detail.claimedByMe ? (
        <button type="button" className="button" disabled={claimGate.disabled} aria-describedby={claimGate.describedBy} onClick={() => moderation.claim(target)}>
          {t('action.claim')} <kbd>c</kbd>
        </button>
      ) : null}
      {detail.claimedByMe ? (
        <button type="button" className="button button--ghost" disabled={claimGate.disabled} aria-describedby={claimGate.describedBy} onClick={() => moderation.release(target)}>
          {t('action.release')}
        </button>
      ) : null}
      {queued ? (
        <>
          <button type="button" className="button button--primary" disabled={decideGate.disabled} aria-describedby={decideGate.describedBy} onClick={() => moderation.approve([target])}>
            <Icon name="check" />
            {t('action.approve')} <kbd>a</kbd>
          </button>
          <button type="button" className="button button--danger" disabled={decideGate.disabled} aria-describedby={decideGate.describedBy} onClick={() => moderation.reject([target])}>
            {t('action.reject')} <kbd>r</kbd>
          </button>
        </>
      ) : null}
      {detail.status === 'approved' ? (
        <button type="button" className="button button--primary" disabled={publishGate.disabled} aria-describedby={publishGate.describedBy} onClick={() => moderation.publish(target)}>
          {t('action.publish')}
        </button>
      ) : null}
      {detail.status === 'published' ? (
        <button type="button" className="button button--danger" disabled={takeDownGate.disabled} aria-describedby={takeDownGate.describedBy} onClick={() => moderation.takeDown(target)}>
          {t('action.takeDown')}
        </button>
      ) : null}
      {claimGate.note ?? decideGate.note}
    </div>
  )
}

function GraphTab({ detail }: { detail: TemplateDetail }) {
  const t = useT(marketplaceCatalog)
  const risk = useRpcQuery('marketplace.risk', { templateId: detail.id, versionId: detail.currentVersionId })
  const [selected, setSelected] = useState<string | null>(null)
  const severity = useMemo(() => {
    const worst = new Map<string, RiskLevel>()
    for (const f of risk.data?.findings ?? []) {
      const before = worst.get(f.nodeId)
      if (!before || RISK_LEVELS.indexOf(f.severity) > RISK_LEVELS.indexOf(before)) worst.set(f.nodeId, f.severity)
    }
    return worst
  }, [risk.data])
  const names = useMemo(() => new Map(detail.graph.nodes.map((n) => [n.id, n.name])), [detail.graph])
  const node = detail.graph.nodes.find((n) => n.id === selected)
  return (
    <div className="mq-graph-tab">
      <div className="stack">
        {detail.graph.nodes.length === 0 ? <p className="callout">{t('graph.empty')}</p> : <WorkflowGraphView graph={detail.graph} severity={severity} selected={selected} onSelect={setSelected} />}
        <section className="panel" aria-labelledby="node-title" data-testid="node-parameters">
          <header className="panel__header">
            <h3 id="node-title" className="panel__title">
              {node ? t('graph.parameters', { name: node.name }) : t('graph.node')}
            </h3>
          </header>
          <div className="panel--padded stack">
            {node ? (
              <>
                <Facts>
                  <Fact label={t('graph.type')} mono>
                    {node.type}
                  </Fact>
                  {Object.keys(node.credentials).length > 0 ? <Fact label={t('graph.credentials')}>{Object.keys(node.credentials).join(', ')}</Fact> : null}
                </Facts>
                <JsonView value={node.parameters ?? {}} label={t('graph.parameters', { name: node.name })} />
              </>
            ) : (
              <p className="muted">{t('graph.nodeHint')}</p>
            )}
          </div>
        </section>
      </div>
      {risk.data ? <RiskPanel report={risk.data} nodeNames={names} onShowNode={setSelected} /> : risk.error ? <ErrorState error={risk.error} onRetry={risk.reload} /> : <LoadingState />}
    </div>
  )
}

/**
 * One template under review: what it is and who sent it, the decisions its state allows, and its
 * graph with the risk analysis, the changes since the last approved version, its purchases and
 * reviews, and its moderation history.
 */
export function TemplateReview({ templateId, reasons, moderation, generation, onLoaded, onClose }: {
  templateId: string
  reasons: readonly ReasonOption[]
  moderation: ReturnType<typeof useModeration>
  /** Bumped after every change made on the screen, so the template shows its new version. */
  generation: number
  onLoaded(detail: TemplateDetail | null): void
  onClose(): void
}) {
  const t = useT(marketplaceCatalog)
  const locale = useLocale()
  const query = useRpcQuery('marketplace.template', { templateId })
  const [tab, setTab] = useState<Tab>('graph')
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({})
  const { reload } = query
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    reload()
  }, [generation, reload])
  useEffect(() => {
    onLoaded(query.data ?? null)
  }, [query.data, onLoaded])

  function onTabKey(event: KeyboardEvent) {
    const index = TABS.indexOf(tab)
    const next = event.key === 'ArrowRight' ? (index + 1) % TABS.length : event.key === 'ArrowLeft' ? (index - 1 + TABS.length) % TABS.length : null
    if (next === null) return
    event.preventDefault()
    setTab(TABS[next]!)
    tabRefs.current[TABS[next]!]?.focus()
  }

  const detail = query.data
  return (
    <section className="panel mq-review" aria-labelledby="mq-review-title" data-testid="template-review">
      <header className="panel__header">
        <h2 id="mq-review-title" className="panel__title">
          {detail?.name ?? '…'}
        </h2>
        {detail ? <StateBadge state={detail.status} /> : null}
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label={t('review.close')} onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {!detail ? (
        <div className="panel--padded">{query.error ? <ErrorState error={query.error} onRetry={reload} /> : <LoadingState />}</div>
      ) : (
        <div className="panel--padded stack">
          <Actions detail={detail} moderation={moderation} />
          <Facts>
            <Fact label={t('fact.author')}>{t('fact.authorValue', { tenant: detail.tenantName ?? detail.tenantId, user: detail.authorName ?? detail.creatorUserId.slice(0, 8) })}</Fact>
            <Fact label={t('fact.price')}>{detail.isFree ? t('price.free') : formatMoney(detail.price, detail.currency, locale)}</Fact>
            <Fact label={t('fact.category')}>{detail.category}</Fact>
            <Fact label={t('fact.version')} testId="template-version">
              {detail.versions[0]
                ? t('fact.versionValue', { number: detail.versions.find((v) => v.id === detail.currentVersionId)?.number ?? detail.versions[0].number, count: detail.versions.length, hash: detail.versions[0].contentHash.slice(0, 12) })
                : '—'}
            </Fact>
            <Fact label={t('fact.submitted')}>{detail.submittedAt ? formatDateTime(detail.submittedAt, locale) : '—'}</Fact>
            <Fact label={t('fact.claim')} testId="template-claim">
              {detail.claimActive && detail.claimedBy && detail.claimExpiresAt
                ? detail.claimedByMe
                  ? t('claim.mine', { time: formatDateTime(detail.claimExpiresAt, locale) })
                  : t('claim.other', { who: detail.claimedBy, time: formatDateTime(detail.claimExpiresAt, locale) })
                : t('claim.none')}
            </Fact>
            <Fact label={t('fact.rating')} testId="template-rating">
              {t('fact.ratingValue', { rating: formatRating(detail.ratingAvg, locale), count: detail.ratingCount })}
            </Fact>
            <Fact label={t('fact.downloads')}>{formatNumber(detail.downloadCount, locale)}</Fact>
            {detail.decisionReasonCode ? <Fact label={t('fact.decision')}>{`${detail.decisionReasonCode}${detail.decisionNote ? ` — ${detail.decisionNote}` : ''}`}</Fact> : null}
            {detail.takedownReason ? <Fact label={t('fact.takedown')}>{detail.takedownReason}</Fact> : null}
          </Facts>
          <p className="mq-description">{detail.description}</p>
          <div role="tablist" aria-label={t('review.tabs')} className="mq-tabs" onKeyDown={onTabKey}>
            {TABS.map((id) => (
              <button
                key={id}
                type="button"
                ref={(el) => {
                  tabRefs.current[id] = el
                }}
                role="tab"
                id={`mq-tab-${id}`}
                aria-selected={id === tab}
                aria-controls="mq-tabpanel"
                tabIndex={id === tab ? 0 : -1}
                className="mq-tab"
                onClick={() => setTab(id)}
              >
                {t(`tab.${id}`)}
              </button>
            ))}
          </div>
          <div role="tabpanel" id="mq-tabpanel" aria-labelledby={`mq-tab-${tab}`}>
            {tab === 'graph' ? <GraphTab key={detail.currentVersionId ?? 'none'} detail={detail} /> : null}
            {tab === 'diff' ? <DiffPanel key={detail.currentVersionId ?? 'none'} templateId={detail.id} /> : null}
            {tab === 'market' ? <MarketTab templateId={detail.id} reasons={reasons} onRating={reload} /> : null}
            {tab === 'history' ? <HistoryTab key={`${detail.version}`} templateId={detail.id} /> : null}
          </div>
        </div>
      )}
    </section>
  )
}
