import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import type { TenantDetail as Detail } from '../../../../shared/rpc/areas/tenants'
import { CopyLinkButton } from '../../components/CopyLinkButton'
import { PageHeader } from '../../components/PageHeader'
import { ErrorState, LoadingState } from '../../components/states'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { navigate } from '../../routing/route'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { DomainsTab } from './DomainsTab'
import { LimitsTab } from './LimitsTab'
import { tenantsCatalog } from './messages'
import { OverviewTab } from './OverviewTab'
import { ProfileTab } from './ProfileTab'
import { StatusBadge } from './StatusBadge'
import { SupportTab } from './SupportTab'
import { TimelineTab } from './TimelineTab'

const TABS = ['overview', 'profile', 'limits', 'domains', 'support', 'timeline'] as const
type Tab = (typeof TABS)[number]

export interface TabProps {
  detail: Detail
  reload(): void
}

const PANELS: Record<Tab, (props: TabProps) => ReactNode> = {
  overview: OverviewTab,
  profile: ProfileTab,
  limits: LimitsTab,
  domains: DomainsTab,
  support: SupportTab,
  timeline: TimelineTab
}

export function TenantDetail({ tenantId, tab }: { tenantId: string; tab: string | undefined }) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const { data, error, loading, reload } = useRpcQuery('tenants.get', { tenantId })
  const current: Tab = (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'overview'
  const tabRefs = useRef<Record<string, HTMLAnchorElement | null>>({})

  // WAI-ARIA tabs: arrows, Home and End move between tabs (and select them); Tab goes into the panel.
  function onTabKey(event: KeyboardEvent) {
    const index = TABS.indexOf(current)
    const next = event.key === 'ArrowRight' ? (index + 1) % TABS.length : event.key === 'ArrowLeft' ? (index - 1 + TABS.length) % TABS.length : event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : null
    if (next === null) return
    event.preventDefault()
    navigate(['tenants', tenantId, TABS[next]!])
    tabRefs.current[TABS[next]!]?.focus()
  }

  // Opened from the grid or the palette, the keyboard lands in the detail (on its selected tab),
  // not on the page's body; a click elsewhere meanwhile keeps its focus.
  const loaded = data !== undefined && data !== null
  useEffect(() => {
    if (loaded && (document.activeElement === null || document.activeElement === document.body)) tabRefs.current[current]?.focus()
  }, [loaded])

  // Esc closes the detail, back to the directory, unless a field, a dialog or a menu takes it.
  useEffect(() => {
    function onKey(event: globalThis.KeyboardEvent) {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return
      const target = event.target as HTMLElement | null
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return
      event.preventDefault()
      navigate(['tenants'])
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  if (!data) return loading ? <LoadingState /> : <ErrorState error={error} onRetry={reload} />
  const Panel = PANELS[current]
  const { profile } = data
  return (
    <div className="screen tenants-screen">
      <p>
        <a className="link" href={hrefOf(['tenants'])}>← {t('detail.back')}</a>
      </p>
      <PageHeader title={profile.name} description={`${profile.slug}${profile.contactEmail ? ` · ${profile.contactEmail}` : ''}`} actions={<><CopyLinkButton segments={['tenants', tenantId, current]} /><StatusBadge status={profile.status} /></>} />
      {data.access.kind === 'break_glass' && data.access.expiresAt ? <p className="callout">{t('detail.breakGlass', { time: formatDateTime(data.access.expiresAt, locale) })}</p> : null}
      <div role="tablist" aria-label={t('detail.tabs')} className="tenant-tabs" onKeyDown={onTabKey}>
        {TABS.map((id) => (
          <a
            key={id}
            ref={(el) => { tabRefs.current[id] = el }}
            role="tab"
            id={`tenant-tab-${id}`}
            aria-selected={id === current}
            aria-controls="tenant-tabpanel"
            tabIndex={id === current ? 0 : -1}
            className="tenant-tab"
            href={hrefOf(['tenants', tenantId, id])}
          >
            {t(`tab.${id}`)}
          </a>
        ))}
      </div>
      <section role="tabpanel" id="tenant-tabpanel" aria-labelledby={`tenant-tab-${current}`} className="tenant-panel">
        <Panel detail={data} reload={reload} />
      </section>
    </div>
  )
}
