import { HOME_AREA_ID, SECTIONS } from '../areas/registry'
import { useVisibleAreas } from '../capabilities/useVisibleAreas'
import { Icon } from '../components/Icon'
import { frameCatalog } from '../i18n/catalog'
import { translate } from '../i18n/define'
import { formatNumber } from '../i18n/format'
import { useLocale, useT } from '../i18n/useT'
import { hrefOf } from '../routing/hash'
import { useInboxCounts } from '../stores/inbox'

export function Sidebar({ currentAreaId }: { currentAreaId: string | undefined }) {
  const t = useT(frameCatalog)
  const locale = useLocale()
  const areas = useVisibleAreas()
  const counts = useInboxCounts()
  // The home counts everything in the inbox; every other area what it handles.
  const countOf = (id: string) => (counts === null ? 0 : id === HOME_AREA_ID ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(id) ?? 0))
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
                    <span className="sidebar__label">{translate(area.catalog, locale, 'area.title')}</span>
                    {countOf(area.id) > 0 ? (
                      <span className="nav-badge" data-testid={`nav-badge-${area.id}`}>
                        <span aria-hidden="true">{formatNumber(countOf(area.id), locale)}</span>
                        <span className="visually-hidden">, {t('frame.inboxBadge', { count: countOf(area.id) })}</span>
                      </span>
                    ) : null}
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
