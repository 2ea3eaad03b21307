import { ErrorState } from '../../components/states'
import { VirtualTable, type Column } from '../../components/VirtualTable/VirtualTable'
import { useScopedSelection } from '../../components/VirtualTable/useScopedSelection'
import { useT } from '../../i18n/useT'
import { tenantsCatalog } from './messages'
import type { usePages } from './usePages'

interface TenantTableProps<R> {
  pages: ReturnType<typeof usePages<R>>
  columns: Column<R>[]
  /** What the footer says when the filter matches no tenant. */
  emptyMessage: string
  onActivate?(row: R): void
}

/**
 * A paged tenant list as both tenant lists draw it: the error state until a first page loads,
 * then the table with a selection that does not outlive its result set and a count in the footer.
 */
export function TenantTable<R>({ pages, columns, emptyMessage, onActivate }: TenantTableProps<R>) {
  const t = useT(tenantsCatalog)
  const { resultSet, total, totalCapped, error, getRow, onRange, retry } = pages
  const [selected, setSelected] = useScopedSelection(resultSet)
  if (error && total === null) return <ErrorState error={error} onRetry={retry} />
  return (
    <div className="tenant-table">
      <VirtualTable
        label={t('directory.table')}
        columns={columns}
        rowCount={total ?? 0}
        getRow={getRow}
        rowHeight={44}
        selectedIndex={selected}
        onSelect={setSelected}
        onActivate={
          onActivate &&
          ((index) => {
            const row = getRow(index)
            if (row) onActivate(row)
          })
        }
        onRangeChange={onRange}
        footer={
          <span role="status">
            {total === 0 ? emptyMessage : total === null ? '' : t(totalCapped ? 'directory.countAtLeast' : 'directory.count', { count: total })}
          </span>
        }
      />
    </div>
  )
}
