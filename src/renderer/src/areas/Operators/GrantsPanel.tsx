import { useState } from 'react'
import type { GrantInForce } from '../../../../shared/rpc/areas/operators'
import { REASON_MIN } from '../../../../shared/rpc/areas/tenants'
import { useGate } from '../../capabilities/useGate'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { formatDateTime, formatRelative } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import type { QueryState } from '../../rpc/useRpcQuery'
import { operatorsCatalog } from './messages'

/** The break-glass grants in force, each with "End now" (a reason is asked, and audited). */
export function GrantsPanel({ state, onChanged }: { state: QueryState<{ grants: GrantInForce[] }>; onChanged(): void }) {
  const t = useT(operatorsCatalog)
  const locale = useLocale()
  const gate = useGate('operators.endGrant')
  const [ending, setEnding] = useState<GrantInForce | null>(null)
  const end = useMutation((grant: GrantInForce, reason: string) => rpc.call('operators.endGrant', { grantId: grant.id, reason }).then(() => grant), {
    success: (grant) => t('grants.ended', { operator: grant.operator, tenant: grant.tenant.name }),
    onSuccess: () => setEnding(null),
    onSettled: onChanged
  })
  const now = new Date()
  const when = (iso: string) => (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {formatRelative(iso, now, locale)}
    </time>
  )

  let body
  if (!state.data && state.error) body = <ErrorState error={state.error} onRetry={state.reload} />
  else if (!state.data) body = <LoadingState />
  else if (state.data.grants.length === 0) body = <EmptyState icon="shield" title={t('grants.empty')} />
  else
    body = (
      <div className="table-wrap">
        <table className="table" aria-labelledby="operators-grants" data-testid="operators-grants">
          <thead>
            <tr>
              <th scope="col">{t('grants.operator')}</th>
              <th scope="col">{t('grants.tenant')}</th>
              <th scope="col">{t('grants.reason')}</th>
              <th scope="col">{t('grants.granted')}</th>
              <th scope="col">{t('grants.expires')}</th>
              <th scope="col">{t('grants.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {state.data.grants.map((grant) => (
              <tr key={grant.id} data-grant={grant.id}>
                <th scope="row">{grant.operator}</th>
                <td>{grant.tenant.name}</td>
                <td className="operators-reason">{grant.reason}</td>
                <td>{when(grant.grantedAt)}</td>
                <td>{when(grant.expiresAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--danger"
                    aria-label={t('grants.endLabel', { operator: grant.operator, tenant: grant.tenant.name })}
                    disabled={gate.disabled || end.running}
                    aria-describedby={gate.describedBy}
                    onClick={() => setEnding(grant)}
                  >
                    {t('grants.end')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )

  return (
    <Panel title={t('grants.title')} titleId="operators-grants" icon="shield">
      {gate.note}
      {body}
      <ConfirmDialog
        open={ending !== null}
        title={t('grants.endTitle')}
        confirmLabel={t('grants.end')}
        busy={end.running}
        reason={{ label: t('grants.endReason'), hint: t('grants.endHint', { min: REASON_MIN }), min: REASON_MIN, tooShort: t('grants.endTooShort', { min: REASON_MIN }) }}
        onCancel={() => setEnding(null)}
        onConfirm={(reason) => ending && void end.run(ending, reason)}
      >
        {ending ? <p>{t('grants.endBody', { operator: ending.operator, tenant: ending.tenant.name })}</p> : null}
      </ConfirmDialog>
    </Panel>
  )
}
