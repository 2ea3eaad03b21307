import { useState } from 'react'
import { REASON_MIN, REQUEST_STATUSES, type RequestStatus, type SubjectRequest } from '../../../../shared/rpc/areas/consent'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { SelectField } from '../../components/Field'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useGate } from '../../capabilities/useGate'
import { useLocale, useT } from '../../i18n/useT'
import { runExport } from '../../rpc/exports'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { useConnection } from '../../stores/connection'
import { notifyError, notifySuccess } from '../../stores/notify'
import type { TenantTabProps } from './ConsentScreen'
import { formatDate } from './format'
import { consentCatalog } from './messages'

type Pending = { kind: 'deny' | 'extend' | 'approve'; request: SubjectRequest } | null

/** The request queue of one tenant: deadlines with a days-left badge, the state machine's next steps, and the four-eyes erasure. */
export function RequestsTab({ tenantId }: TenantTabProps) {
  const t = useT(consentCatalog)
  const locale = useLocale()
  const [status, setStatus] = useState<RequestStatus | ''>('')
  const list = useRpcQuery('consent.requests', { tenantId, status: status || null, limit: 200 })
  const handle = useGate('consent.handleRequests')
  const approveGate = useGate('consent.approveErasure')
  const exportGate = useGate('consent.accessExport')
  const me = useConnection((s) => (s.status?.state === 'online' ? s.status.operator : null))
  const [pending, setPending] = useState<Pending>(null)
  const [busy, setBusy] = useState<string | null>(null)

  /** One write on a request: the row is busy while it runs, and the queue reloads after it. */
  function change<T>(request: SubjectRequest, work: () => Promise<T>, success: (result: T) => string = () => t('action.done')) {
    setBusy(request.id)
    return runMutation(work, {
      success,
      onSuccess: () => {
        setPending(null)
        list.reload()
      },
      onSettled: () => setBusy(null)
    })
  }
  const advance = (request: SubjectRequest, to: 'identity_verified' | 'in_progress' | 'fulfilled' | 'denied', reason: string | null = null) =>
    change(request, () => rpc.call('consent.advanceRequest', { requestId: request.id, version: request.version, to, reason }))

  async function exportZip(request: SubjectRequest) {
    setBusy(request.id)
    try {
      const result = await runExport((jobId) => rpc.call('consent.accessExport', { tenantId, requestId: request.id, jobId }))
      if (result.saved) notifySuccess(t('zip.done', { file: result.fileName }))
    } catch (error) {
      notifyError(error)
    } finally {
      setBusy(null)
    }
  }

  const reasonField = (label: string, hint: string) => ({ label, hint, min: REASON_MIN, tooShort: t('reason.tooShort') })

  return (
    <>
      <div className="consent-filters">
        <SelectField
          label={t('requests.filter')}
          value={status}
          onChange={(e) => setStatus(e.target.value as RequestStatus | '')}
          options={[{ value: '', label: t('requests.anyStatus') }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
        />
      </div>
      {handle.note}
      {!list.data ? (
        list.loading ? <LoadingState /> : <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.data.requests.length === 0 ? (
        <EmptyState title={t('requests.empty')} />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('requests.table')} data-testid="consent-requests">
            <thead>
              <tr>
                <th scope="col">{t('column.request')}</th>
                <th scope="col">{t('column.person')}</th>
                <th scope="col">{t('column.status')}</th>
                <th scope="col">{t('column.due')}</th>
                <th scope="col">{t('column.assigned')}</th>
                <th scope="col" className="table__actions-header">{t('column.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.requests.map((r) => {
                const disabled = handle.disabled || busy === r.id
                return (
                  <tr key={r.id} data-testid="consent-request" data-request-id={r.id} data-status={r.status} data-type={r.requestType}>
                    <td>
                      <strong>{t(`type.${r.requestType}`)}</strong> · {r.regulation.toUpperCase()}
                      <br />
                      <span className="consent-muted">{t('requests.requestedBy', { actor: r.requestedBy })}</span>
                    </td>
                    <td>{r.externalId ?? '—'}</td>
                    <td>
                      {t(`status.${r.status}`)}
                      {r.denialReason ? <><br /><span className="consent-muted">{t('requests.denied', { reason: r.denialReason })}</span></> : null}
                      {r.erasureApprovedBy ? <><br /><span className="consent-muted">{t('requests.approvedBy', { actor: r.erasureApprovedBy })}</span></> : null}
                    </td>
                    <td className="nowrap">
                      {formatDate(r.dueAt, locale)} <DaysLeft request={r} />
                      {r.extensionReason ? <><br /><span className="consent-muted">{t('requests.extended', { reason: r.extensionReason })}</span></> : null}
                    </td>
                    <td>{r.assignedTo ?? <span className="consent-muted">{t('requests.unassigned')}</span>}</td>
                    <td className="table__actions">
                      <div className="consent-actions">
                        {r.status === 'received' ? (
                          <button type="button" className="button button--small" disabled={disabled} aria-describedby={handle.describedBy} onClick={() => void advance(r, 'identity_verified')} data-testid="consent-verify">
                            {t('action.verify')}
                          </button>
                        ) : null}
                        {r.status === 'identity_verified' ? (
                          <button type="button" className="button button--small" disabled={disabled} aria-describedby={handle.describedBy} onClick={() => void advance(r, 'in_progress')} data-testid="consent-start">
                            {t('action.start')}
                          </button>
                        ) : null}
                        {r.status === 'in_progress' && r.requestType !== 'erasure' ? (
                          <button type="button" className="button button--small" disabled={disabled} aria-describedby={handle.describedBy} onClick={() => void advance(r, 'fulfilled')} data-testid="consent-fulfil">
                            {t('action.fulfil')}
                          </button>
                        ) : null}
                        {r.status === 'in_progress' && r.requestType === 'erasure' ? (
                          <button
                            type="button"
                            className="button button--small button--danger"
                            disabled={approveGate.disabled || busy === r.id}
                            aria-describedby={approveGate.describedBy}
                            onClick={() => setPending({ kind: 'approve', request: r })}
                            data-testid="consent-approve"
                          >
                            {t('action.approve')}
                          </button>
                        ) : null}
                        {r.requestType === 'access' && (r.status === 'identity_verified' || r.status === 'in_progress') ? (
                          <button type="button" className="button button--small" disabled={exportGate.disabled || busy === r.id} aria-describedby={exportGate.describedBy} onClick={() => void exportZip(r)} data-testid="consent-export-zip">
                            {busy === r.id ? t('zip.running') : t('action.exportZip')}
                          </button>
                        ) : null}
                        {r.closedAt === null ? (
                          <>
                            {r.regulation === 'gdpr' && r.extensionReason === null ? (
                              <button type="button" className="button button--small" disabled={disabled} aria-describedby={handle.describedBy} onClick={() => setPending({ kind: 'extend', request: r })} data-testid="consent-extend">
                                {t('action.extend')}
                              </button>
                            ) : null}
                            {me && r.assignedTo !== me ? (
                              <button
                                type="button"
                                className="button button--small"
                                disabled={disabled}
                                aria-describedby={handle.describedBy}
                                onClick={() => void change(r, () => rpc.call('consent.assignRequest', { requestId: r.id, version: r.version, assignee: me }))}
                                data-testid="consent-assign"
                              >
                                {t('action.assignMe')}
                              </button>
                            ) : null}
                            <button type="button" className="button button--small button--danger" disabled={disabled} aria-describedby={handle.describedBy} onClick={() => setPending({ kind: 'deny', request: r })} data-testid="consent-deny">
                              {t('action.deny')}
                            </button>
                          </>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {approveGate.note}
        </div>
      )}
      <ConfirmDialog
        open={pending?.kind === 'deny'}
        title={t('deny.title')}
        confirmLabel={t('action.deny')}
        busy={busy !== null}
        reason={reasonField(t('deny.reason'), t('deny.hint'))}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => pending && void advance(pending.request, 'denied', reason)}
      />
      <ConfirmDialog
        open={pending?.kind === 'extend'}
        title={t('extend.title')}
        confirmLabel={t('action.extend')}
        busy={busy !== null}
        reason={reasonField(t('extend.reason'), t('extend.hint'))}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => pending && void change(pending.request, () => rpc.call('consent.extendRequest', { requestId: pending.request.id, version: pending.request.version, reason }))}
      />
      <ConfirmDialog
        open={pending?.kind === 'approve'}
        title={t('approve.title')}
        confirmLabel={t('action.approve')}
        busy={busy !== null}
        onCancel={() => setPending(null)}
        onConfirm={() =>
          pending &&
          void change(
            pending.request,
            () => rpc.call('consent.approveErasure', { requestId: pending.request.id, version: pending.request.version }),
            (receipt) => t('approve.done', { conversations: receipt.removed.conversations ?? 0, sessions: receipt.removed.sessions ?? 0, consents: receipt.removed.consent_records ?? 0 })
          )
        }
      >
        <p>{t('approve.body')}</p>
      </ConfirmDialog>
    </>
  )
}

/** Red when overdue: the deadline the law sets has passed and the request is still open. */
function DaysLeft({ request }: { request: SubjectRequest }) {
  const t = useT(consentCatalog)
  if (request.daysLeft === null) return <span className="badge">{t('days.closed')}</span>
  if (request.overdue) {
    return (
      <span className="badge badge--danger" data-testid="consent-days-left" data-overdue="true">
        {t('days.overdue', { days: Math.max(1, -request.daysLeft) })}
      </span>
    )
  }
  return (
    <span className={`badge${request.daysLeft <= 7 ? ' badge--accent' : ''}`} data-testid="consent-days-left" data-overdue="false">
      {request.daysLeft === 0 ? t('days.dueToday') : t('days.left', { days: request.daysLeft })}
    </span>
  )
}
