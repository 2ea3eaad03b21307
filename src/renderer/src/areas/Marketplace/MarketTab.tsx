import type { ReasonOption } from '../../../../shared/rpc/areas/marketplace'
import { ErrorState, LoadingState } from '../../components/states'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { formatMoney } from './format'
import { marketplaceCatalog } from './messages'
import { ReviewList } from './ReviewList'

/** The template's purchases and its reviews (hide or show again from here too). */
export function MarketTab({ templateId, reasons, onRating }: { templateId: string; reasons: readonly ReasonOption[]; onRating(): void }) {
  const t = useT(marketplaceCatalog)
  const locale = useLocale()
  const purchases = useRpcQuery('marketplace.purchases', { templateId, limit: 50 })
  return (
    <div className="market-tab">
      <section className="panel" aria-labelledby="purchases-title">
        <header className="panel__header">
          <h3 id="purchases-title" className="panel__title">
            {t('market.purchases')}
          </h3>
          {purchases.data ? <span className="muted">{t('market.purchasesCount', { count: purchases.data.total })}</span> : null}
        </header>
        <div className="panel--padded">
          {!purchases.data ? (
            purchases.error ? <ErrorState error={purchases.error} onRetry={purchases.reload} /> : <LoadingState />
          ) : purchases.data.rows.length === 0 ? (
            <p className="muted">{t('market.noPurchases')}</p>
          ) : (
            <table className="diff-table">
              <thead>
                <tr>
                  <th scope="col">{t('market.buyer')}</th>
                  <th scope="col">{t('market.paid')}</th>
                  <th scope="col">{t('market.status')}</th>
                  <th scope="col">{t('market.when')}</th>
                </tr>
              </thead>
              <tbody>
                {purchases.data.rows.map((p) => (
                  <tr key={p.id}>
                    <td>{p.tenantName ?? p.tenantId}</td>
                    <td className="num">{formatMoney(p.pricePaid, p.currency, locale)}</td>
                    <td>{p.status}</td>
                    <td>{formatDateTime(p.purchasedAt, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </section>
      <section className="panel" aria-labelledby="template-reviews-title">
        <header className="panel__header">
          <h3 id="template-reviews-title" className="panel__title">
            {t('market.reviews')}
          </h3>
        </header>
        <div className="panel--padded">
          <ReviewList filter={{ templateId }} reasons={reasons} onRating={onRating} label={t('market.reviews')} />
        </div>
      </section>
    </div>
  )
}
