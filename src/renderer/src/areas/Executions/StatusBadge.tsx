import { useT } from '../../i18n/useT'
import { executionsCatalog } from './messages'

const KNOWN = ['new', 'running', 'waiting', 'success', 'error', 'canceled', 'crashed', 'skipped'] as const

/** An execution's or a step's status in the operator's language; a status added later shows as stored. */
export function StatusBadge({ status }: { status: string }) {
  const t = useT(executionsCatalog)
  const tone = status === 'success' ? ' badge--success' : status === 'error' || status === 'crashed' ? ' badge--danger' : ''
  const known = (KNOWN as readonly string[]).includes(status) ? (status as (typeof KNOWN)[number]) : null
  return <span className={`badge${tone}`}>{known ? t(`status.${known}`) : status}</span>
}
