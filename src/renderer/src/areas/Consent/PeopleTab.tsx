import { useState } from 'react'
import { CONSENT_STATES, type ConsentFilterInput, type ConsentRecord } from '../../../../shared/rpc/areas/consent'
import { ExportButton } from '../../components/ExportButton'
import { SelectField, TextField } from '../../components/Field'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useDebounced } from '../../components/useDebounced'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import type { TenantTabProps } from './ConsentScreen'
import { formatDate } from './format'
import { consentCatalog } from './messages'

/** The current consent of each person per type, filtered, with one person's history beside it (#/consent/people/<tenant>/<person>). */
export function PeopleTab({ tenantId, rest }: TenantTabProps) {
  const t = useT(consentCatalog)
  const locale = useLocale()
  const [person] = rest
  const [consentType, setConsentType] = useState('')
  const [state, setState] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [userText, setUserText] = useState(person ?? '')
  const userId = useDebounced(userText.trim(), 250)
  const filter: ConsentFilterInput = {
    consentType: consentType || null,
    state: state === 'granted' || state === 'revoked' ? state : null,
    from: from || null,
    to: to || null,
    userId
  }
  const list = useRpcQuery('consent.list', { tenantId, filter, offset: 0, limit: 200 })

  return (
    <>
      <div className="consent-filters">
        <SelectField
          label={t('filter.type')}
          value={consentType}
          onChange={(e) => setConsentType(e.target.value)}
          options={[{ value: '', label: t('filter.anyType') }, ...(list.data?.types ?? []).map((type) => ({ value: type, label: type }))]}
        />
        <SelectField
          label={t('filter.state')}
          value={state}
          onChange={(e) => setState(e.target.value)}
          options={[{ value: '', label: t('filter.anyState') }, ...CONSENT_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))]}
        />
        <TextField label={t('filter.from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t('filter.to')} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <TextField label={t('filter.user')} value={userText} onChange={(e) => setUserText(e.target.value)} data-testid="consent-user-filter" />
        <ExportButton
          start={(jobId) => rpc.call('consent.export', { tenantId, filter: { ...filter, userId }, jobId })}
          label={t('export.button')}
          runningLabel={t('export.running')}
          doneMessage={({ rows, fileName }) => t('export.done', { rows, file: fileName })}
          testId="consent-export"
        />
      </div>
      {person ? <History tenantId={tenantId} person={person} /> : null}
      {!list.data ? (
        list.loading ? <LoadingState /> : <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.data.rows.length === 0 ? (
        <EmptyState title={t('people.empty')} />
      ) : (
        <div className="table-wrap">
          <p className="consent-muted" aria-live="polite">{t('people.count', { count: list.data.total })}</p>
          <table className="table" aria-label={t('people.table')} data-testid="consent-people">
            <thead>
              <tr>
                <th scope="col">{t('column.person')}</th>
                <th scope="col">{t('column.type')}</th>
                <th scope="col">{t('column.state')}</th>
                <th scope="col">{t('column.since')}</th>
                <th scope="col">{t('column.policy')}</th>
                <th scope="col">{t('column.basis')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((row) => (
                <tr key={`${row.userId}:${row.consentType}`}>
                  <td>
                    <a className="link" href={hrefOf(['consent', 'people', tenantId, row.userId])}>{row.userId}</a>
                  </td>
                  <td>{row.consentType}</td>
                  <td>
                    <span className={`badge ${row.granted ? 'badge--success' : 'badge--danger'}`}>{t(row.granted ? 'state.granted' : 'state.revoked')}</span>
                  </td>
                  <td className="nowrap">{formatDate(row.since, locale)}</td>
                  <td>{row.policyVersion ?? ''}</td>
                  <td>{row.legalBasis}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

/** One person's grants and revocations, oldest first: a revocation says which grant it ends. */
function History({ tenantId, person }: { tenantId: string; person: string }) {
  const t = useT(consentCatalog)
  const locale = useLocale()
  const history = useRpcQuery('consent.history', { tenantId, userId: person })
  const byId = new Map<string, ConsentRecord>((history.data?.records ?? []).map((r) => [r.id, r]))
  return (
    <section className="panel panel--padded" aria-labelledby="consent-history-title" data-testid="consent-history">
      <h2 id="consent-history-title" className="panel__title">{t('history.title', { person })}</h2>
      <p>
        <a className="link" href={hrefOf(['consent', 'people', tenantId])}>{t('history.close')}</a>
      </p>
      {!history.data ? (
        history.loading ? <LoadingState /> : <ErrorState error={history.error} onRetry={history.reload} />
      ) : history.data.records.length === 0 ? (
        <EmptyState title={t('history.empty')} />
      ) : (
        <ol className="consent-timeline">
          {history.data.records.map((record) => {
            const ended = record.revokesId ? byId.get(record.revokesId) : undefined
            const source = [record.sourceChannel, record.sourceAgent, record.sourceForm].filter(Boolean).join(' · ')
            return (
              <li key={record.id} className="consent-timeline__entry" data-testid="consent-history-entry">
                <p>
                  <strong>
                    {record.granted
                      ? t('history.granted', { type: record.consentType })
                      : t('history.revoked', { type: record.consentType, date: ended ? formatDate(ended.at, locale) : '?' })}
                  </strong>{' '}
                  <span className="consent-muted">{formatDateTime(record.at, locale)}</span>
                </p>
                <p className="consent-muted">
                  {[record.policyVersion, record.legalBasis, source ? t('history.source', { source }) : null, record.hasEvidence ? t('history.evidence') : null, t('history.by', { actor: record.recordedBy })]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
