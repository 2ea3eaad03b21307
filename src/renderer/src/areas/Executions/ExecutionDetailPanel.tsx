import type { ExecutionDetail, ExecutionStep } from '../../../../shared/rpc/areas/executions'
import { Fact, Facts } from '../../components/Facts'
import { DetailPanel } from '../../components/ReviewSplit'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { reviewCatalog } from '../../components/review/commonMessages'
import { StatusBadge } from './StatusBadge'
import { JsonView } from '../../components/review/JsonView'
import { executionsCatalog } from './messages'
import { SourceBadge } from '../../components/review/ReviewToolbar'
import { recordAddress, type RecordRef } from '../../components/review/linked'
import { formatDateTime } from '../../i18n/format'

/** One execution beside the list, opened from a row or from its address (`#/executions/open/<tenant>/<id>`). */
export function ExecutionDetailPanel({ record, onClose }: { record: RecordRef; onClose(): void }) {
  const t = useT(executionsCatalog)
  const common = useT(reviewCatalog)
  const detail = useRpcQuery('executions.get', { tenantId: record.tenantId, id: record.id })
  const execution = detail.data?.execution
  const link = recordAddress('executions', record)
  return (
    <DetailPanel
      title={execution ? `${t('detail.title')} · ${execution.workflowName ?? execution.workflowId.slice(0, 8)}` : t('detail.title')}
      closeLabel={common('detail.close')}
      onClose={onClose}
      testId="execution-detail"
      query={detail}
      link={link}
    >
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
      <Facts>
        <Fact label={t('detail.id')} mono>
          {execution.id}
        </Fact>
        <Fact label={t('column.status')}>
          <StatusBadge status={execution.status} />
        </Fact>
        <Fact label={t('column.started')}>{formatDateTime(execution.startedAt, locale)}</Fact>
        <Fact label={t('detail.finished')}>{formatDateTime(execution.finishedAt, locale)}</Fact>
        {execution.n8nExecutionId ? (
          <Fact label={t('detail.n8n')} mono>
            {execution.n8nExecutionId}
          </Fact>
        ) : null}
      </Facts>
      <h3 className="review-detail__heading">{t('detail.steps')}</h3>
      <StepsTimeline steps={execution.steps} />
      {execution.error !== null ? <JsonView label={t('detail.error')} value={execution.error} /> : null}
      <JsonView label={t('detail.input')} value={execution.input} />
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
                {formatDateTime(step.startedAt, locale)}
                {took !== null ? ` · ${t('step.took', { ms: took })}` : ''}
              </div>
              {step.errorMessage ? <p className="timeline__error">{step.errorMessage}</p> : null}
            </div>
          </li>
        )
      })}
    </ol>
  )
}
