import { Suspense } from 'react'
import type { AreaScreenProps } from '../types'
import { Icon } from '../../components/Icon'
import { PageHeader } from '../../components/PageHeader'
import { LoadingState } from '../../components/states'
import { useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { settingsCatalog } from './messages'
import { settingsPages } from './pages'

export default function SettingsScreen({ path }: AreaScreenProps) {
  const t = useT(settingsCatalog)
  const current = settingsPages.find((page) => page.id === path[0]) ?? settingsPages[0]!
  const { Page } = current
  return (
    <div className="screen">
      <PageHeader title={t('area.title')} description={t('area.description')} />
      <div className="settings-layout">
        <nav className="subnav" aria-label={t('pages.label')}>
          <ul>
            {settingsPages.map((page) => (
              <li key={page.id}>
                <a className="nav-link subnav__link" href={hrefOf(['settings', page.id])} aria-current={page.id === current.id ? 'page' : undefined}>
                  <Icon name={page.icon} />
                  {t(page.titleKey)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <Suspense fallback={<LoadingState />}>
          <Page />
        </Suspense>
      </div>
    </div>
  )
}
