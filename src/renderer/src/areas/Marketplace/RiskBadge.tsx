import type { RiskLevel, TemplateState } from '../../../../shared/rpc/areas/marketplace'
import { useT } from '../../i18n/useT'
import { marketplaceCatalog } from './messages'

export function RiskBadge({ level }: { level: RiskLevel }) {
  const t = useT(marketplaceCatalog)
  return <span className={`badge risk-badge risk-badge--${level}`}>{t(`risk.${level}`)}</span>
}

export function StateBadge({ state }: { state: TemplateState }) {
  const t = useT(marketplaceCatalog)
  return <span className={`badge state-badge state-badge--${state}`}>{t(`state.${state}`)}</span>
}
