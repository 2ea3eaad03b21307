import { useState } from 'react'
import { REASON_MIN, type ImpactRow } from '../../../../shared/rpc/areas/consent'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useGate } from '../../capabilities/useGate'
import { useLocale, useT } from '../../i18n/useT'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import type { TenantTabProps } from './ConsentScreen'
import { formatCount } from './format'
import { consentCatalog } from './messages'

/** Global knowledge from people who revoked consent or were erased, per tenant and in total; admins quarantine or purge it. */
export function ImpactTab(_props: TenantTabProps) {
  const t = useT(consentCatalog)
  const locale = useLocale()
  const impact = useRpcQuery('consent.impact', {})
  const names = useRpcQuery('tenants.names', { search: '', offset: 0, limit: 500 })
  const gate = useGate('consent.resolveImpact')
  const [pending, setPending] = useState<{ action: 'quarantine' | 'purge'; row: ImpactRow } | null>(null)
  const [busy, setBusy] = useState(false)
  const tenantName = (id: string | null) => (id === null ? t('impact.total') : (names.data?.rows.find((r) => r.id === id)?.name ?? id))

  if (!impact.data) return impact.loading ? <LoadingState /> : <ErrorState error={impact.error} onRetry={impact.reload} />
  if (impact.data.rows.length === 0) return <EmptyState title={t('impact.empty')} />
  return (
    <>
      <section className="panel panel--padded" aria-labelledby="consent-impact-title" data-testid="consent-impact">
        <h2 id="consent-impact-title" className="panel__title">{t('impact.title')}</h2>
        <table className="table" aria-label={t('impact.totals')}>
          <thead>
            <tr>
              <th scope="col">{t('column.tenant')}</th>
              <th scope="col">{t('impact.revoked')}</th>
              <th scope="col">{t('impact.erased')}</th>
              <th scope="col">{t('impact.quarantined')}</th>
              <th scope="col">{t('impact.count')}</th>
            </tr>
          </thead>
          <tbody>
            {impact.data.totals.map((row) => (
              <tr key={row.tenantId ?? 'total'}>
                <th scope="row">{tenantName(row.tenantId)}</th>
                <td>{formatCount(row.revoked, locale)}</td>
                <td>{formatCount(row.erased, locale)}</td>
                <td>{formatCount(row.quarantined, locale)}</td>
                <td>{formatCount(row.total, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {gate.note}
      <div className="table-wrap">
        <table className="table" aria-label={t('impact.rows')}>
          <thead>
            <tr>
              <th scope="col">{t('column.tenant')}</th>
              <th scope="col">{t('impact.table')}</th>
              <th scope="col">{t('impact.reason')}</th>
              <th scope="col" className="table__actions-header">{t('column.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {impact.data.rows.map((row) => (
              <tr key={`${row.derivedTable}:${row.derivedId}`}>
                <td>{tenantName(row.tenantId)}</td>
                <td>
                  {row.derivedTable} <span className="consent-muted address">{row.derivedId.slice(0, 8)}</span>
                </td>
                <td>
                  {t(`reason.${row.reason}`)} {row.quarantined ? <span className="badge">{t('impact.isQuarantined')}</span> : null}
                </td>
                <td className="table__actions">
                  {!row.quarantined ? (
                    <button type="button" className="button button--small" disabled={gate.disabled} aria-describedby={gate.describedBy} onClick={() => setPending({ action: 'quarantine', row })}>
                      {t('impact.quarantine')}
                    </button>
                  ) : null}
                  <button type="button" className="button button--small button--danger" disabled={gate.disabled} aria-describedby={gate.describedBy} onClick={() => setPending({ action: 'purge', row })}>
                    {t('impact.purge')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={pending?.action === 'purge' ? t('impact.purgeTitle') : t('impact.quarantineTitle')}
        confirmLabel={pending?.action === 'purge' ? t('impact.purge') : t('impact.quarantine')}
        busy={busy}
        reason={{ label: t('impact.reasonLabel'), hint: t('impact.reasonHint'), min: REASON_MIN, tooShort: t('reason.tooShort') }}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => {
          if (!pending) return
          setBusy(true)
          void runMutation(() => rpc.call('consent.resolveImpact', { action: pending.action, derivedTable: pending.row.derivedTable, derivedId: pending.row.derivedId, reason }), {
            success: () => t('impact.done'),
            onSuccess: () => {
              setPending(null)
              impact.reload()
            },
            onSettled: () => setBusy(false)
          })
        }}
      />
    </>
  )
}
