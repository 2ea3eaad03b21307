import type { OperatorSummary } from '../../../../shared/rpc/areas/operators'
import type { AreaScreenProps } from '../types'
import { PageHeader } from '../../components/PageHeader'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { GrantsPanel } from './GrantsPanel'
import { OperatorDetail } from './OperatorDetail'
import { operatorsCatalog } from './messages'
import './operators.css'
import { formatNumber } from '../../i18n/format'

/** #/operators lists them; #/operators/<name> opens one beside the list (a link that can be shared). */
export default function OperatorsScreen({ path }: AreaScreenProps) {
  const t = useT(operatorsCatalog)
  const list = useRpcQuery('operators.list', {})
  const grants = useRpcQuery('operators.grants', {})
  const selected = path[0] ?? null
  const reload = () => {
    list.reload()
    grants.reload()
  }

  let body
  if (!list.data && list.error) body = <ErrorState error={list.error} onRetry={list.reload} />
  else if (!list.data) body = <LoadingState />
  else {
    const operator = list.data.operators.find((o) => o.name === selected) ?? null
    body = (
      <>
        <div className="operators-layout">
          <OperatorList operators={list.data.operators} selected={selected} />
          {selected === null ? (
            <p className="muted operators-pick">{t('detail.pick')}</p>
          ) : operator ? (
            <OperatorDetail key={operator.name} operator={operator} onChanged={reload} />
          ) : (
            <EmptyState icon="users" title={t('detail.unknown', { name: selected })} />
          )}
        </div>
        <GrantsPanel state={grants} onChanged={reload} />
      </>
    )
  }

  return (
    <div className="screen">
      <PageHeader title={t('area.title')} description={t('area.description')} />
      {body}
    </div>
  )
}

function OperatorList({ operators, selected }: { operators: OperatorSummary[]; selected: string | null }) {
  const t = useT(operatorsCatalog)
  const locale = useLocale()
  return (
    <Panel title={t('list.title')} titleId="operators-list" icon="users">
      {operators.length === 0 ? (
        <EmptyState icon="users" title={t('list.empty')}>
          <code>{t('list.emptyHint')}</code>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-labelledby="operators-list" data-testid="operators-list">
            <thead>
              <tr>
                <th scope="col">{t('list.operator')}</th>
                <th scope="col">{t('list.groups')}</th>
                <th scope="col">{t('list.tenants')}</th>
                <th scope="col" className="num">{t('list.grants')}</th>
              </tr>
            </thead>
            <tbody>
              {operators.map((operator) => (
                <tr key={operator.name} data-operator={operator.name} aria-current={operator.name === selected ? 'true' : undefined}>
                  <th scope="row">
                    <a className="link" href={hrefOf(['operators', operator.name])}>
                      {operator.name}
                    </a>
                  </th>
                  <td>{operator.groups.map((group) => t(`group.${group}`)).join(', ')}</td>
                  <td>{operator.allTenants ? t('list.allTenants') : operator.tenants.length ? t('list.tenantCount', { count: operator.tenants.length }) : t('list.none')}</td>
                  <td className="num">{formatNumber(operator.grantsInForce, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}
