import { PageHeader } from '../../components/PageHeader'
import { useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { marketplaceCatalog } from './messages'

/** The area's title and its two screens: the review queue and the reviews. */
export function AreaNav({ current }: { current: 'queue' | 'reviews' }) {
  const t = useT(marketplaceCatalog)
  return (
    <>
      <PageHeader title={t('area.title')} description={current === 'queue' ? t('area.description') : t('reviews.description')} />
      <nav aria-label={t('nav.label')} className="mq-nav">
        <a className="mq-nav__link" href={hrefOf(['marketplace'])} aria-current={current === 'queue' ? 'page' : undefined}>
          {t('nav.queue')}
        </a>
        <a className="mq-nav__link" href={hrefOf(['marketplace', 'reviews'])} aria-current={current === 'reviews' ? 'page' : undefined}>
          {t('nav.reviews')}
        </a>
      </nav>
    </>
  )
}
