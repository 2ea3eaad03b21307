import type { Locale } from '../../i18n/define'

// Days, dates and counts as every screen writes them.
export { formatDate, formatDay, formatNumber as formatCount } from '../../i18n/format'
import { formatPercent as formatRatio } from '../../i18n/format'

export function formatPercent(share: number, locale: Locale): string {
  return formatRatio(share, locale, { maximumFractionDigits: 1 })
}
