import { PageHeader } from '../../components/PageHeader'
import { useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { marketplaceCatalog } from './messages'

/** The area's title and its screens: the review queue, the reviews and the moderation settings. */
export function AreaNav({ current }: { current: 'queue' | 'reviews' | 'settings' }) {
  const t = useT(marketplaceCatalog)
  return (
    <>
      <PageHeader title={t('area.title')} description={current === 'queue' ? t('area.description') : current === 'reviews' ? t('reviews.description') : t('settings.description')} />
      <nav aria-label={t('nav.label')} className="mq-nav">
        <a className="mq-nav__link" href={hrefOf(['marketplace'])} aria-current={current === 'queue' ? 'page' : undefined}>
          {t('nav.queue')}
        </a>
        <a className="mq-nav__link" href={hrefOf(['marketplace', 'reviews'])} aria-current={current === 'reviews' ? 'page' : undefined}>
          {t('nav.reviews')}
        </a>
        <a className="mq-nav__link" href={hrefOf(['marketplace', 'settings'])} aria-current={current === 'settings' ? 'page' : undefined}>
          {t('nav.settings')}
        </a>
      </nav>
    </>
  )
}
