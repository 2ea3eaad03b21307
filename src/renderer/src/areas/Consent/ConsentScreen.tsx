import { useRef, type KeyboardEvent, type ReactNode } from 'react'
import { SelectField } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState } from '../../components/states'
import { useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { navigate } from '../../routing/route'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import type { AreaScreenProps } from '../types'
import { CoverageTab } from './CoverageTab'
import { ImpactTab } from './ImpactTab'
import { LookupTab } from './LookupTab'
import { consentCatalog } from './messages'
import { PeopleTab } from './PeopleTab'
import { RequestsTab } from './RequestsTab'
import './consent.css'

const TABS = ['lookup', 'people', 'coverage', 'requests', 'impact'] as const
type Tab = (typeof TABS)[number]
/** Tabs that show one tenant's data; lookup and impact span every visible tenant. */
const PER_TENANT: readonly Tab[] = ['people', 'coverage', 'requests']

export interface TenantTabProps {
  tenantId: string
  /** Further address segments, e.g. the person whose history is open. */
  rest: string[]
}

const PANELS: Record<Tab, (props: TenantTabProps) => ReactNode> = {
  lookup: LookupTab,
  people: PeopleTab,
  coverage: CoverageTab,
  requests: RequestsTab,
  impact: ImpactTab
}

/** #/consent/<tab>/<tenantId>/<…>: the tab and tenant live in the address, so a link opens the same view. */
export default function ConsentScreen({ path }: AreaScreenProps) {
  const t = useT(consentCatalog)
  const [tabSegment, tenantSegment = '', ...rest] = path
  const current: Tab = (TABS as readonly string[]).includes(tabSegment ?? '') ? (tabSegment as Tab) : 'lookup'
  const tenants = useRpcQuery('tenants.names', { search: '', offset: 0, limit: 500 })
  const tabRefs = useRef<Record<string, HTMLAnchorElement | null>>({})

  // WAI-ARIA tabs: arrows, Home and End move between tabs (and select them); Tab goes into the panel.
  function onTabKey(event: KeyboardEvent) {
    const index = TABS.indexOf(current)
    const next = event.key === 'ArrowRight' ? (index + 1) % TABS.length : event.key === 'ArrowLeft' ? (index - 1 + TABS.length) % TABS.length : event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : null
    if (next === null) return
    event.preventDefault()
    navigate(['consent', TABS[next]!, tenantSegment])
    tabRefs.current[TABS[next]!]?.focus()
  }

  const Panel = PANELS[current]
  const needsTenant = PER_TENANT.includes(current)
  return (
    <div className="screen consent-screen">
      <PageHeader title={t('area.title')} description={t('area.description')} />
      <div className="consent-toolbar">
        <SelectField
          label={t('tenant.label')}
          value={tenantSegment}
          onChange={(event) => navigate(['consent', current, event.target.value])}
          options={[{ value: '', label: t('tenant.choose') }, ...(tenants.data?.rows ?? []).map((row) => ({ value: row.id, label: row.name }))]}
          data-testid="consent-tenant"
        />
      </div>
      <div role="tablist" aria-label={t('tabs.label')} className="consent-tabs" onKeyDown={onTabKey}>
        {TABS.map((id) => (
          <a
            key={id}
            ref={(el) => {
              tabRefs.current[id] = el
            }}
            role="tab"
            id={`consent-tab-${id}`}
            aria-selected={id === current}
            aria-controls="consent-tabpanel"
            tabIndex={id === current ? 0 : -1}
            className="consent-tab"
            href={hrefOf(['consent', id, tenantSegment])}
          >
            {t(`tab.${id}`)}
          </a>
        ))}
      </div>
      <section role="tabpanel" id="consent-tabpanel" aria-labelledby={`consent-tab-${current}`} className="consent-panel">
        {needsTenant && !tenantSegment ? <EmptyState title={t('tenant.pick')} /> : <Panel key={`${current}:${tenantSegment}`} tenantId={tenantSegment} rest={rest} />}
      </section>
    </div>
  )
}
