import { auditActionSchema, type AuditDetail } from '../../../../shared/rpc/areas/audit'
import { Fact, Facts } from '../../components/Facts'
import { DetailPanel } from '../../components/ReviewSplit'
import { useLocale, useT, type Translate } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { reviewCatalog } from '../../components/review/commonMessages'
import { isRedacted, RedactedValue } from '../../components/review/JsonView'
import { SourceBadge } from '../../components/review/ReviewToolbar'
import { recordAddress, type RecordRef } from '../../components/review/linked'
import { formatDateTime } from '../../i18n/format'
import { diffValues } from './diff'
import { auditCatalog } from './messages'

/** INSERT, UPDATE, DELETE as the operator reads them; anything else as stored. */
export function actionLabel(action: string, t: Translate<(typeof auditCatalog)['en']>): string {
  const known = auditActionSchema.safeParse(action)
  return known.success ? t(`action.${known.data}`) : action
}

/** One audit entry beside the list, opened from a row or from its address (`#/audit/open/<tenant>/<id>`). */
export function AuditDetailPanel({ record, onClose }: { record: RecordRef; onClose(): void }) {
  const t = useT(auditCatalog)
  const common = useT(reviewCatalog)
  const detail = useRpcQuery('audit.get', { tenantId: record.tenantId, id: record.id })
  const entry = detail.data?.entry
  const link = recordAddress('audit', record)
  return (
    <DetailPanel
      title={entry ? `${t('detail.title')} · ${actionLabel(entry.action, t)} ${entry.resourceType}` : t('detail.title')}
      closeLabel={common('detail.close')}
      onClose={onClose}
      testId="audit-detail"
      query={detail}
      link={link}
    >
      {(data) => <EntryBody entry={data.entry} source={data.source} syncedAt={data.syncedAt} />}
    </DetailPanel>
  )
}

function EntryBody({ entry, source, syncedAt }: { entry: AuditDetail; source: 'server' | 'cache'; syncedAt: string | null }) {
  const t = useT(auditCatalog)
  const locale = useLocale()
  const lines = diffValues(entry.oldValues, entry.newValues)
  return (
    <>
      <SourceBadge source={source} syncedAt={syncedAt} />
      <Facts>
        <Fact label={t('column.time')}>{formatDateTime(entry.createdAt, locale)}</Fact>
        <Fact label={t('column.actor')} mono>
          {entry.actor}
        </Fact>
        <Fact label={t('column.resourceId')} mono>
          {entry.resourceId ?? '—'}
        </Fact>
        {entry.ipAddress ? (
          <Fact label={t('detail.ip')} mono>
            {entry.ipAddress}
          </Fact>
        ) : null}
      </Facts>
      {entry.hash ? <p className="muted mono">{t('detail.chain', { position: entry.chainPosition ?? '—', hash: entry.hash.slice(0, 16) })}</p> : null}
      <h3 className="review-detail__heading">{t('detail.diff')}</h3>
      {lines.length === 0 ? (
        <p className="muted">{t('detail.noValues')}</p>
      ) : (
        <table className="diff" data-testid="audit-diff">
          <thead>
            <tr>
              <th scope="col">{t('detail.field')}</th>
              <th scope="col">{t('detail.old')}</th>
              <th scope="col">{t('detail.new')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.path} data-change={line.change}>
                <th scope="row" className="mono">
                  {line.path}
                </th>
                <td>
                  <DiffValue value={line.before} />
                </td>
                <td>
                  <DiffValue value={line.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

function DiffValue({ value }: { value: unknown }) {
  if (value === undefined) return <span className="muted">—</span>
  if (isRedacted(value)) return <RedactedValue fingerprint={value.fingerprint} />
  return <>{typeof value === 'string' ? value : JSON.stringify(value)}</>
}
