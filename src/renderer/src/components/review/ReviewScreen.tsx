import type { ReactNode } from 'react'
import { useT } from '../../i18n/useT'
import type { KeysetList } from '../../rpc/useKeysetList'
import { PageHeader } from '../PageHeader'
import { ReviewSplit } from '../ReviewSplit'
import { ErrorState } from '../states'
import type { Column } from '../VirtualTable/VirtualTable'
import { reviewCatalog } from './commonMessages'
import { SourceBadge, SyncNowButton } from './ReviewToolbar'
import './review.css'

interface ReviewScreenProps<R extends { id: string }> {
  title: string
  description: string
  /** The area's own header actions, between the data source and "Sync now". */
  actions?: ReactNode
  /** The filter fields; they filter as they change, so the form never submits. */
  filters: ReactNode
  /** Between the filters and the table (e.g. the audit chain's status). */
  above?: ReactNode
  list: KeysetList<R>
  tableLabel: string
  columns: Column<R>[]
  countTestId: string
  detail(row: R, close: () => void): ReactNode
  /** A record opened from the address, shown until a row is selected (see ReviewSplit). */
  linked?: ReactNode
  onOpen?(row: R | null): void
}

/**
 * A review area's screen: a header that says where the rows come from, filters, and a long list
 * of newest-first rows beside the selected row's detail. Each area brings its filters, columns
 * and detail panel.
 */
export function ReviewScreen<R extends { id: string }>({ title, description, actions, filters, above, list, tableLabel, columns, countTestId, detail, linked, onOpen }: ReviewScreenProps<R>) {
  const t = useT(reviewCatalog)
  const count = list.rows.length
  return (
    <div className="screen review-screen">
      <PageHeader
        title={title}
        description={description}
        actions={
          <>
            <SourceBadge source={list.source} syncedAt={list.syncedAt} />
            {actions}
            <SyncNowButton onSynced={list.reload} />
          </>
        }
      />
      <form className="review-filters" role="search" onSubmit={(event) => event.preventDefault()}>
        {filters}
      </form>
      {above}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      <ReviewSplit
        label={tableLabel}
        columns={columns}
        list={list}
        scope={list.scope}
        footer={<span data-testid={countTestId}>{list.hasMore ? t('list.loadedMore', { count }) : t('list.loaded', { count })}</span>}
        detail={detail}
        linked={linked}
        onOpen={onOpen}
      />
    </div>
  )
}
