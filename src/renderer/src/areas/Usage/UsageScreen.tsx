import { useRef, type KeyboardEvent } from 'react'
import { useCapability } from '../../capabilities/useGate'
import { PageHeader } from '../../components/PageHeader'
import { useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { navigate } from '../../routing/route'
import { useIsOnline } from '../../stores/connection'
import type { AreaScreenProps } from '../types'
import { AnomaliesView } from './AnomaliesView'
import { usageCatalog } from './messages'
import { OverviewView } from './OverviewView'
import { ReconciliationView } from './ReconciliationView'
import { TenantView } from './TenantView'
import './usage.css'

const TABS = ['overview', 'anomalies', 'reconciliation'] as const
type Tab = (typeof TABS)[number]

/**
 * #/usage → the overview; #/usage/anomalies, #/usage/reconciliation; #/usage/tenant/<id> → one
 * tenant's billing cycle. Reconciliation is for finance and admins (offline the groups are unknown,
 * and the cache answers only what was synced for this role).
 */
export default function UsageScreen({ path }: AreaScreenProps) {
  const t = useT(usageCatalog)
  const online = useIsOnline()
  const reconcile = useCapability('usage.reconcile')
  const tabs = TABS.filter((tab) => tab !== 'reconciliation' || reconcile || !online)
  const [first, second] = path
  const current: Tab = (tabs as readonly string[]).includes(first ?? '') ? (first as Tab) : 'overview'
  const refs = useRef<Record<string, HTMLAnchorElement | null>>({})

  function onTabKey(event: KeyboardEvent) {
    const index = tabs.indexOf(current)
    const next = event.key === 'ArrowRight' ? (index + 1) % tabs.length : event.key === 'ArrowLeft' ? (index - 1 + tabs.length) % tabs.length : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null
    if (next === null) return
    event.preventDefault()
    navigate(['usage', tabs[next]!])
    refs.current[tabs[next]!]?.focus()
  }

  if (first === 'tenant' && second) {
    return (
      <div className="screen usage-screen">
        <TenantView key={second} tenantId={second} />
      </div>
    )
  }
  return (
    <div className="screen usage-screen">
      <PageHeader title={t('area.title')} description={t('area.description')} />
      <div role="tablist" aria-label={t('tabs.label')} className="usage-tabs" onKeyDown={onTabKey}>
        {tabs.map((id) => (
          <a
            key={id}
            ref={(el) => { refs.current[id] = el }}
            role="tab"
            id={`usage-tab-${id}`}
            aria-selected={id === current}
            aria-controls="usage-tabpanel"
            tabIndex={id === current ? 0 : -1}
            className="usage-tab"
            href={hrefOf(['usage', id])}
            data-testid={`usage-tab-${id}`}
          >
            {t(`tab.${id}`)}
          </a>
        ))}
      </div>
      <section role="tabpanel" id="usage-tabpanel" aria-labelledby={`usage-tab-${current}`} className="usage-screen">
        {current === 'overview' ? <OverviewView /> : current === 'anomalies' ? <AnomaliesView /> : <ReconciliationView />}
      </section>
    </div>
  )
}
