import { useState } from 'react'
import { SelectField } from '../../components/Field'
import { useDebounced } from '../../components/useDebounced'
import { SearchField, useSearchText } from '../../components/SearchField'
import { useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { AreaNav } from './AreaNav'
import { marketplaceCatalog } from './messages'
import { ReviewList } from './ReviewList'

/** #/marketplace/reviews: every review moderators may read, searchable, with hide and show-again. */
export function ReviewsScreen() {
  const t = useT(marketplaceCatalog)
  const searchText = useSearchText()
  const search = useDebounced(searchText.fitting, 200)
  const [rating, setRating] = useState<number | null>(null)
  const [hidden, setHidden] = useState<'any' | 'hidden' | 'visible'>('any')
  const reasons = useRpcQuery('marketplace.reasons', {})
  return (
    <div className="screen marketplace-screen">
      <AreaNav current="reviews" />
      <div className="mq-filters mq-filters--reviews" role="search">
        <SearchField label={t('reviews.search')} search={searchText} />
        <SelectField
          label={t('reviews.rating')}
          value={rating === null ? '' : String(rating)}
          options={[{ value: '', label: t('filter.any') }, ...[5, 4, 3, 2, 1].map((r) => ({ value: String(r), label: t('reviews.stars', { rating: r }) }))]}
          onChange={(e) => setRating(e.target.value ? Number(e.target.value) : null)}
        />
        <SelectField
          label={t('reviews.visibility')}
          value={hidden}
          options={(['any', 'hidden', 'visible'] as const).map((h) => ({ value: h, label: t(`reviews.visibility.${h}`) }))}
          onChange={(e) => setHidden(e.target.value as 'any' | 'hidden' | 'visible')}
        />
      </div>
      <ReviewList filter={{ search, rating, hidden }} reasons={reasons.data?.reasons ?? []} label={t('reviews.list')} />
    </div>
  )
}
