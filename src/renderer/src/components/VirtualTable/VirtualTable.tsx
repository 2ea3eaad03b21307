import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { frameCatalog } from '../../i18n/catalog'
import { useT } from '../../i18n/useT'
import { gridKeyAction, type KeyOrigin } from './navigation'

const HEADER_HEIGHT = 32
const TEXT_ENTRY = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])'

function keyOrigin(event: KeyboardEvent<HTMLElement>): KeyOrigin {
  if (event.target === event.currentTarget) return 'grid'
  return event.target instanceof Element && event.target.matches(TEXT_ENTRY) ? 'text-entry' : 'control'
}

export interface Column<R> {
  id: string
  header: string
  /** A CSS grid track: '120px', 'minmax(200px, 1fr)'. */
  width: string
  align?: 'start' | 'end'
  cell(row: R): ReactNode
  sort?: 'ascending' | 'descending' | 'none'
  onSort?(): void
}

export interface VirtualTableProps<R> {
  label: string
  columns: Column<R>[]
  rowCount: number
  /** Undefined while a row is not loaded yet: a placeholder is drawn and `onRangeChange` asks for it. */
  getRow(index: number): R | undefined
  rowKey?(index: number): string | number
  rowHeight?: number
  /** Controlled selection; when set, arrow keys move it through onSelect. */
  selectedIndex?: number | null
  onSelect?(index: number): void
  /** Enter or double click on a row. */
  onActivate?(index: number): void
  /** The rows on screen (plus overscan), so the owner can fetch the page they fall in. */
  onRangeChange?(start: number, end: number): void
  /** Defaults to the row count. */
  footer?: ReactNode
  /** What an empty table says, e.g. "No executions match these filters". */
  emptyLabel?: string
  height?: CSSProperties['height']
}

/**
 * A grid that renders only the rows in view, so hundreds of thousands of rows scroll smoothly.
 * Keyboard: focus the grid, then arrows, Page Up/Down, Home/End move the active row and Enter
 * opens it; the active row is announced through aria-activedescendant.
 */
export function VirtualTable<R>({ label, columns, rowCount, getRow, rowKey, rowHeight = 32, selectedIndex, onSelect, onActivate, onRangeChange, footer, emptyLabel, height = '100%' }: VirtualTableProps<R>) {
  const t = useT(frameCatalog)
  const id = useId()
  const scrollRef = useRef<HTMLDivElement>(null)
  const [ownActive, setOwnActive] = useState<number | null>(null)
  const active = selectedIndex !== undefined ? selectedIndex : ownActive

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // The sticky header covers the top of the scroller: keyboard moves must not hide a row under it.
    scrollPaddingStart: HEADER_HEIGHT,
    ...(rowKey ? { getItemKey: rowKey } : {})
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const lastItem = items[items.length - 1]?.index ?? -1
  useEffect(() => {
    if (lastItem >= 0) onRangeChange?.(first, lastItem)
  }, [first, lastItem, onRangeChange])

  function move(index: number) {
    if (selectedIndex === undefined) setOwnActive(index)
    onSelect?.(index)
    virtualizer.scrollToIndex(index, { align: 'auto' })
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const pageSize = Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight)
    const action = gridKeyAction(event.key, keyOrigin(event), active, rowCount, pageSize)
    if (action === null) return
    event.preventDefault()
    if (action.type === 'activate') {
      onActivate?.(action.index)
      return
    }
    if (action.focusGrid) scrollRef.current?.focus({ preventScroll: true })
    move(action.index)
  }

  const columnsStyle = { '--vtable-columns': columns.map((column) => column.width).join(' ') } as CSSProperties
  // aria-activedescendant may only name a row that is rendered; a scrolled-away active row is not.
  const activeRendered = active !== null && items.some((item) => item.index === active)
  return (
    <div className="vtable" style={{ ...columnsStyle, height }}>
      <div
        ref={scrollRef}
        className="vtable__scroller"
        role="grid"
        aria-label={label}
        aria-rowcount={rowCount + 1}
        aria-colcount={columns.length}
        aria-activedescendant={activeRendered ? `${id}-row-${active}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="vtable__head">
          <div role="row" aria-rowindex={1} className="vtable__row">
            {columns.map((column, index) => (
              <div key={column.id} role="columnheader" aria-colindex={index + 1} aria-sort={column.sort} className={`vtable__header${column.align === 'end' ? ' vtable__cell--end' : ''}`}>
                {column.onSort ? (
                  <button type="button" className="vtable__sort" onClick={column.onSort} title={column.header}>
                    <span className="vtable__header-text">{column.header}</span>
                    <span aria-hidden="true">{column.sort === 'ascending' ? '▲' : column.sort === 'descending' ? '▼' : ''}</span>
                  </button>
                ) : (
                  <span className="vtable__header-text" title={column.header}>{column.header}</span>
                )}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="vtable__body" style={{ height: rowCount === 0 ? undefined : virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = getRow(item.index)
            return (
              <div
                key={item.key}
                id={`${id}-row-${item.index}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={item.index === active}
                className="vtable__row"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                onClick={() => move(item.index)}
                onDoubleClick={() => onActivate?.(item.index)}
              >
                {columns.map((column, index) => (
                  <div key={column.id} role="gridcell" aria-colindex={index + 1} className={`vtable__cell${column.align === 'end' ? ' vtable__cell--end' : ''}`}>
                    {row === undefined ? (
                      <>
                        <span className="vtable__placeholder" aria-hidden="true" />
                        <span className="visually-hidden">{t('table.loadingRow')}</span>
                      </>
                    ) : (
                      column.cell(row)
                    )}
                  </div>
                ))}
              </div>
            )
          })}
          {rowCount === 0 ? (
            <div role="row" aria-rowindex={2} className="vtable__empty">
              <div role="gridcell" aria-colspan={columns.length}>
                {emptyLabel ?? t('table.empty')}
              </div>
            </div>
          ) : null}
        </div>
      </div>
      <div className="vtable__footer">{footer ?? t('table.rowCount', { count: rowCount })}</div>
    </div>
  )
}
