import { useId, type ReactNode } from 'react'
import type { QueryState } from '../rpc/useRpcQuery'
import { CopyLinkButton } from './CopyLinkButton'
import { Icon } from './Icon'
import { ErrorState, LoadingState } from './states'
import { useScopedSelection } from './VirtualTable/useScopedSelection'
import { VirtualTable, type Column } from './VirtualTable/VirtualTable'
import './ReviewSplit.css'

/** The loaded part of a long list that fetches more as it is scrolled. */
export interface PagedRows<R> {
  rows: R[]
  rowCount: number
  onRangeChange(start: number, end: number): void
}

/**
 * A long table with the selected row's detail beside it; the table takes the whole width while
 * nothing is selected. Enter on a row opens it as a click does.
 */
export function ReviewSplit<R extends { id: string }>({
  label,
  columns,
  list,
  scope,
  footer,
  detail,
  linked,
  onOpen
}: {
  label: string
  columns: Column<R>[]
  list: PagedRows<R>
  /** The result set the rows are (e.g. the serialised filter): a selection is a row index, so it belongs to the scope it was made under. */
  scope: string
  footer: ReactNode
  /** The panel for the selected row; `close` clears the selection. */
  detail(row: R, close: () => void): ReactNode
  /** A record opened from the address (a deep link), shown until a row is selected. */
  linked?: ReactNode
  /** Called with the row opened (or null when the selection is cleared), e.g. to put it in the address. */
  onOpen?(row: R | null): void
}) {
  const [selected, select] = useScopedSelection(scope)
  const selectedRow = selected === null ? undefined : list.rows[selected]
  const onSelect = (index: number | null) => {
    select(index)
    onOpen?.(index === null ? null : (list.rows[index] ?? null))
  }
  const panel = selectedRow ? detail(selectedRow, () => onSelect(null)) : (linked ?? null)
  return (
    <div className={`review-split${panel ? ' review-split--detail' : ''}`}>
      <VirtualTable
        label={label}
        columns={columns}
        rowCount={list.rowCount}
        getRow={(index) => list.rows[index]}
        rowKey={(index) => list.rows[index]?.id ?? `more-${index}`}
        selectedIndex={selected}
        onSelect={onSelect}
        onActivate={onSelect}
        onRangeChange={list.onRangeChange}
        footer={footer}
      />
      {panel}
    </div>
  )
}

/**
 * The panel beside a review table: a title, a copy-link button when the record has an address
 * (`link`), a close button, and the row's full record once it has loaded.
 */
export function DetailPanel<T>({
  title,
  closeLabel,
  onClose,
  testId,
  query,
  children,
  link
}: {
  title: ReactNode
  closeLabel: string
  onClose(): void
  testId: string
  query: QueryState<T>
  children(data: T): ReactNode
  /** The record's address, for its copy-link button. */
  link?: readonly string[]
}) {
  const titleId = useId()
  return (
    <aside className="panel review-detail" aria-labelledby={titleId} data-testid={testId}>
      <div className="panel__header">
        <h2 id={titleId} className="panel__title">
          {title}
        </h2>
        {link ? <CopyLinkButton segments={link} /> : null}
        <button type="button" className="icon-button" aria-label={closeLabel} onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="review-detail__body">
        {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
        {!query.data && !query.error ? <LoadingState /> : null}
        {query.data ? children(query.data) : null}
      </div>
    </aside>
  )
}
