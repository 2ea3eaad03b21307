import { useState } from 'react'
import type { OperatorSummary } from '../../../../shared/rpc/areas/operators'
import { useGate } from '../../capabilities/useGate'
import { TextField } from '../../components/Field'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useDebounced } from '../../components/useDebounced'
import { formatDateTime, formatRelative } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { operatorsCatalog } from './messages'

const MIN_SEARCH = 2
const KNOWN_ACTIONS = ['INSERT', 'UPDATE', 'DELETE', 'EXPORT', 'EXECUTE'] as const

/** One operator: the tenants assigned (unassign each), a search to assign another, and the recent actions. */
export function OperatorDetail({ operator, onChanged }: { operator: OperatorSummary; onChanged(): void }) {
  return (
    <div className="stack">
      <AssignedTenants operator={operator} onChanged={onChanged} />
      <AssignTenant operator={operator} onChanged={onChanged} />
      <RecentActions operator={operator.name} />
    </div>
  )
}

function AssignedTenants({ operator, onChanged }: { operator: OperatorSummary; onChanged(): void }) {
  const t = useT(operatorsCatalog)
  const gate = useGate('operators.assign')
  const unassign = useMutation((tenant: { id: string; name: string }) => rpc.call('operators.unassign', { operator: operator.name, tenantId: tenant.id }).then(() => tenant), {
    success: (tenant) => t('detail.unassigned', { tenant: tenant.name, operator: operator.name }),
    onSuccess: onChanged
  })
  return (
    <Panel title={t('detail.tenants', { name: operator.name })} titleId="operator-tenants" icon="tenants" testId="operator-tenants">
      {gate.note}
      {operator.allTenants ? <p className="panel--padded muted">{t('detail.allTenantsNote')}</p> : null}
      {operator.tenants.length === 0 ? (
        operator.allTenants ? null : <EmptyState icon="tenants" title={t('detail.noTenants')} />
      ) : (
        <ul className="operators-tenants">
          {operator.tenants.map((tenant) => (
            <li key={tenant.id}>
              <span>
                {tenant.name} <span className="muted">{tenant.slug}</span>
              </span>
              <button
                type="button"
                className="button button--ghost"
                aria-label={t('detail.unassignLabel', { tenant: tenant.name, operator: operator.name })}
                disabled={gate.disabled || unassign.running}
                aria-describedby={gate.describedBy}
                onClick={() => void unassign.run(tenant)}
              >
                {t('detail.unassign')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}

function AssignTenant({ operator, onChanged }: { operator: OperatorSummary; onChanged(): void }) {
  const t = useT(operatorsCatalog)
  const gate = useGate('operators.assign')
  const [search, setSearch] = useState('')
  const query = useDebounced(search.trim(), 250)
  const searching = query.length >= MIN_SEARCH
  const matches = useRpcQuery('tenants.names', { search: searching ? query : '', limit: searching ? 20 : 1 })
  const assigned = new Set(operator.tenants.map((tenant) => tenant.id))
  const candidates = searching ? (matches.data?.rows ?? []).filter((row) => !assigned.has(row.id)) : []
  const assign = useMutation((tenant: { id: string; name: string }) => rpc.call('operators.assign', { operator: operator.name, tenantId: tenant.id }).then(() => tenant), {
    success: (tenant) => t('assign.assigned', { tenant: tenant.name, operator: operator.name }),
    onSuccess: onChanged
  })

  let results = null
  if (searching && !matches.data && matches.error) results = <ErrorState error={matches.error} onRetry={matches.reload} />
  else if (searching && (!matches.data || matches.loading)) results = <LoadingState />
  else if (searching && candidates.length === 0) results = <p className="muted">{t('assign.noMatch')}</p>
  else if (searching)
    results = (
      <ul className="operators-tenants" aria-label={t('assign.results')}>
        {candidates.map((tenant) => (
          <li key={tenant.id}>
            <span>
              {tenant.name} <span className="muted">{tenant.slug}</span>
            </span>
            <button
              type="button"
              className="button"
              aria-label={t('assign.assignLabel', { tenant: tenant.name, operator: operator.name })}
              disabled={gate.disabled || assign.running}
              aria-describedby={gate.describedBy}
              onClick={() => void assign.run(tenant)}
            >
              {t('assign.assign')}
            </button>
          </li>
        ))}
      </ul>
    )

  return (
    <Panel title={t('assign.title')} titleId="operator-assign" icon="plus" bodyClassName="stack">
      <TextField label={t('assign.search')} hint={t('assign.searchHint')} type="search" value={search} maxLength={200} disabled={gate.disabled} onChange={(event) => setSearch(event.target.value)} />
      {results}
    </Panel>
  )
}

function RecentActions({ operator }: { operator: string }) {
  const t = useT(operatorsCatalog)
  const locale = useLocale()
  const actions = useRpcQuery('operators.actions', { operator, limit: 50 })
  const now = new Date()
  const title = t('actions.title', { name: operator })

  let body
  if (!actions.data && actions.error) body = <ErrorState error={actions.error} onRetry={actions.reload} />
  else if (!actions.data) body = <LoadingState />
  else if (actions.data.actions.length === 0) body = <EmptyState icon="audit" title={t('actions.empty')} />
  else
    body = (
      <div className="table-wrap">
        <table className="table" aria-labelledby="operator-actions" data-testid="operator-actions">
          <thead>
            <tr>
              <th scope="col">{t('actions.when')}</th>
              <th scope="col">{t('actions.tenant')}</th>
              <th scope="col">{t('actions.action')}</th>
              <th scope="col">{t('actions.resource')}</th>
            </tr>
          </thead>
          <tbody>
            {actions.data.actions.map((action) => (
              <tr key={action.id}>
                <td>
                  <time dateTime={action.at} title={formatDateTime(action.at, locale)}>
                    {formatRelative(action.at, now, locale)}
                  </time>
                </td>
                <td>{action.tenant ? (action.tenant.name ?? action.tenant.id) : <span className="muted">{t('actions.platform')}</span>}</td>
                <td>{(KNOWN_ACTIONS as readonly string[]).includes(action.action) ? t(`action.${action.action as (typeof KNOWN_ACTIONS)[number]}`) : action.action}</td>
                <td>
                  <code>{action.resourceType}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )

  return (
    <Panel title={title} titleId="operator-actions" icon="audit">
      {body}
    </Panel>
  )
}
