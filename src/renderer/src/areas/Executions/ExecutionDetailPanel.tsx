import type { ExecutionDetail, ExecutionRow, ExecutionStep } from '../../../../shared/rpc/areas/executions'
import { DetailPanel } from '../../components/ReviewSplit'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { reviewCatalog } from '../../components/review/commonMessages'
import { StatusBadge } from './StatusBadge'
import { JsonView } from '../../components/review/JsonView'
import { executionsCatalog } from './messages'
import { formatTime, SourceBadge } from '../../components/review/ReviewToolbar'

export function ExecutionDetailPanel({ row, onClose }: { row: ExecutionRow; onClose(): void }) {
  const t = useT(executionsCatalog)
  const common = useT(reviewCatalog)
  const detail = useRpcQuery('executions.get', { tenantId: row.tenantId, id: row.id })
  return (
    <DetailPanel title={`${t('detail.title')} · ${row.workflowName ?? row.workflowId.slice(0, 8)}`} closeLabel={common('detail.close')} onClose={onClose} testId="execution-detail" query={detail}>
      {(data) => <DetailBody execution={data.execution} source={data.source} syncedAt={data.syncedAt} />}
    </DetailPanel>
  )
}

function DetailBody({ execution, source, syncedAt }: { execution: ExecutionDetail; source: 'server' | 'cache'; syncedAt: string | null }) {
  const t = useT(executionsCatalog)
  const locale = useLocale()
  return (
    <>
      <SourceBadge source={source} syncedAt={syncedAt} />
      <dl className="facts">
        <div>
          <dt>{t('detail.id')}</dt>
          <dd className="mono">{execution.id}</dd>
        </div>
        <div>
          <dt>{t('column.status')}</dt>
          <dd>
            <StatusBadge status={execution.status} />
          </dd>
        </div>
        <div>
          <dt>{t('column.started')}</dt>
          <dd>{formatTime(execution.startedAt, locale)}</dd>
        </div>
        <div>
          <dt>{t('detail.finished')}</dt>
          <dd>{formatTime(execution.finishedAt, locale)}</dd>
        </div>
        {execution.n8nExecutionId ? (
          <div>
            <dt>{t('detail.n8n')}</dt>
            <dd className="mono">{execution.n8nExecutionId}</dd>
          </div>
        ) : null}
      </dl>
      <h3 className="review-detail__heading">{t('detail.steps')}</h3>
      <StepsTimeline steps={execution.steps} />
      {execution.error !== null ? (
        <>
          <h3 className="review-detail__heading">{t('detail.error')}</h3>
          <JsonView label={t('detail.error')} value={execution.error} />
        </>
      ) : null}
      <h3 className="review-detail__heading">{t('detail.input')}</h3>
      <JsonView label={t('detail.input')} value={execution.input} />
      <h3 className="review-detail__heading">{t('detail.output')}</h3>
      <JsonView label={t('detail.output')} value={execution.output} />
    </>
  )
}

/** Steps in order on a line, each with its status, start and duration; a failed step shows its message. */
function StepsTimeline({ steps }: { steps: ExecutionStep[] }) {
  const t = useT(executionsCatalog)
  const locale = useLocale()
  if (steps.length === 0) return <p className="muted">{t('detail.noSteps')}</p>
  return (
    <ol className="timeline" data-testid="steps-timeline">
      {steps.map((step) => {
        const took = step.startedAt && step.completedAt ? Date.parse(step.completedAt) - Date.parse(step.startedAt) : null
        return (
          <li key={step.id} className="timeline__step" data-status={step.status}>
            <span className="timeline__dot" aria-hidden="true" />
            <div className="timeline__body">
              <div className="timeline__title">
                <span>
                  {step.stepIndex + 1}. {step.stepName}
                </span>
                <StatusBadge status={step.status} />
              </div>
              <div className="timeline__meta">
                {formatTime(step.startedAt, locale)}
                {took !== null ? ` · ${t('step.took', { ms: new Intl.NumberFormat(locale).format(took) })}` : ''}
              </div>
              {step.errorMessage ? <p className="timeline__error">{step.errorMessage}</p> : null}
            </div>
          </li>
        )
      })}
    </ol>
  )
}
