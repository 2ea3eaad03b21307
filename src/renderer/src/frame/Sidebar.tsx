import { SECTIONS } from '../areas/registry'
import { useVisibleAreas } from '../capabilities/useVisibleAreas'
import { Icon } from '../components/Icon'
import { frameCatalog } from '../i18n/catalog'
import { translate } from '../i18n/define'
import { useLocale, useT } from '../i18n/useT'
import { hrefOf } from '../routing/hash'

export function Sidebar({ currentAreaId }: { currentAreaId: string | undefined }) {
  const t = useT(frameCatalog)
  const locale = useLocale()
  const areas = useVisibleAreas()
  return (
    <nav className="sidebar" aria-label={t('frame.primaryNav')}>
      {SECTIONS.map((section) => {
        const inSection = areas.filter((area) => area.section === section)
        if (inSection.length === 0) return null
        return (
          <div key={section} className="sidebar__section">
            <h2 className="sidebar__heading" id={`nav-${section}`}>
              {t(`frame.section.${section}`)}
            </h2>
            <ul aria-labelledby={`nav-${section}`}>
              {inSection.map((area) => (
                <li key={area.id}>
                  <a className="nav-link sidebar__link" href={hrefOf([area.id])} aria-current={area.id === currentAreaId ? 'page' : undefined}>
                    <Icon name={area.icon} />
                    <span>{translate(area.catalog, locale, 'area.title')}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )
      })}
    </nav>
  )
}
