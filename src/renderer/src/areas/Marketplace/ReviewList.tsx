import { useState } from 'react'
import { HIDE_NOTE_MIN, type ReasonOption, type ReviewFilter, type ReviewRow } from '../../../../shared/rpc/areas/marketplace'
import { useGate } from '../../capabilities/useGate'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { DecisionDialog, type DecisionRequest } from './DecisionDialog'
import { formatRating } from './format'
import { marketplaceCatalog } from './messages'

/**
 * Reviews with hide and show-again, each with a reason; the answer carries the template's new
 * rating, which `onRating` passes on (the template header shows it at once).
 */
export function ReviewList({ filter, reasons, onRating, label }: {
  filter: ReviewFilter
  reasons: readonly ReasonOption[]
  onRating?(rating: { ratingAvg: string; ratingCount: number }): void
  label: string
}) {
  const t = useT(marketplaceCatalog)
  const locale = useLocale()
  const gate = useGate('marketplace.moderateReviews')
  const query = useRpcQuery('marketplace.reviews', { ...filter, limit: 100 })
  const [target, setTarget] = useState<{ review: ReviewRow; request: DecisionRequest } | null>(null)
  const decide = useMutation(
    (review: ReviewRow, reasonCode: string, note: string) =>
      review.hidden
        ? rpc.call('marketplace.unhideReview', { reviewId: review.id, version: review.version, reasonCode, note })
        : rpc.call('marketplace.hideReview', { reviewId: review.id, version: review.version, reasonCode, note }),
    {
      success: (r) => t(r.review.hidden ? 'done.hide' : 'done.unhide', { rating: formatRating(r.ratingAvg, locale), count: r.ratingCount }),
      onSuccess: (r) => {
        setTarget(null)
        onRating?.(r)
        query.reload()
      }
    }
  )

  function open(review: ReviewRow) {
    const hide = !review.hidden
    setTarget({
      review,
      request: hide
        ? { decision: 'hide_review', title: t('decide.hideTitle'), confirmLabel: t('action.hide'), noteLabel: t('decide.hideNote'), noteHint: t('decide.tooShort', { min: HIDE_NOTE_MIN }), noteMin: HIDE_NOTE_MIN, destructive: true }
        : { decision: 'unhide_review', title: t('decide.unhideTitle'), confirmLabel: t('action.unhide'), noteLabel: t('decide.hideNote'), noteHint: t('decide.noteOptional'), noteMin: 0 }
    })
  }

  if (!query.data) return query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : <LoadingState />
  const { rows, total } = query.data
  return (
    <div className="stack">
      {gate.note}
      {rows.length === 0 ? <EmptyState title={t('reviews.empty')} /> : null}
      <ul className="review-list" aria-label={label}>
        {rows.map((r) => (
          <li key={r.id} className={`review-item${r.hidden ? ' review-item--hidden' : ''}`} data-testid="review-item">
            <div className="review-item__head">
              <span className="review-item__stars" aria-label={t('reviews.stars', { rating: r.rating })}>
                {'★'.repeat(r.rating)}
                {'☆'.repeat(5 - r.rating)}
              </span>
              <strong>{r.title ?? '—'}</strong>
              <span className="muted">{t('reviews.by', { tenant: r.tenantName ?? r.tenantId, template: r.templateName })} · {formatDateTime(r.createdAt, locale)}</span>
              <span className="spacer" />
              <button type="button" className={`button button--small${r.hidden ? '' : ' button--danger'}`} disabled={gate.disabled} aria-describedby={gate.describedBy} onClick={() => open(r)}>
                {r.hidden ? t('action.unhide') : t('action.hide')}
              </button>
            </div>
            <p className="review-item__text">{r.content}</p>
            {r.hidden ? <p className="muted">{t('reviews.hiddenBy', { who: r.hiddenBy ?? '—', reason: r.hiddenReason ?? r.hiddenReasonCode ?? '—' })}</p> : null}
          </li>
        ))}
      </ul>
      <p className="muted" role="status">
        {t('reviews.count', { shown: rows.length, total })}
      </p>
      <DecisionDialog
        request={target?.request ?? null}
        reasons={reasons}
        busy={decide.running}
        onCancel={() => setTarget(null)}
        onConfirm={(reasonCode, note) => target && void decide.run(target.review, reasonCode, note)}
      />
    </div>
  )
}
