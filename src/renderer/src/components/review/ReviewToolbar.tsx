import { useEffect } from 'react'
import type { TenantOption } from '../../../../shared/rpc/areas/sync'
import { SelectField } from '../Field'
import { Icon } from '../Icon'
import { formatRelative } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { useConnection, useIsOnline } from '../../stores/connection'
import { reviewCatalog } from './commonMessages'

/** Where the rows on screen come from: the operator must never mistake the cache for live data. */
export function SourceBadge({ source, syncedAt }: { source: 'server' | 'cache' | null; syncedAt: string | null }) {
  const t = useT(reviewCatalog)
  const locale = useLocale()
  if (source === null) return null
  const text = source === 'server' ? t('source.server') : syncedAt ? t('source.cache', { when: formatRelative(syncedAt, new Date(), locale) }) : t('source.cacheNever')
  return (
    <span className={`badge ${source === 'server' ? 'badge--success' : 'badge--accent'}`} data-testid="data-source" data-source={source} aria-label={`${t('source.label')}: ${text}`}>
      <Icon name={source === 'server' ? 'database' : 'refresh'} size={14} />
      {text}
    </span>
  )
}

/** "Sync now": a write to the cache that needs the database, so it is disabled offline with the reason shown. */
export function SyncNowButton({ onSynced }: { onSynced?: () => void }) {
  const t = useT(reviewCatalog)
  const online = useIsOnline()
  const refreshStatus = useConnection((s) => s.refresh)
  const sync = useMutation(() => rpc.call('sync.now', {}), {
    success: (summary) => t('sync.done', { rows: summary.rows }),
    onSuccess: () => {
      void refreshStatus()
      onSynced?.()
    }
  })
  const reasonId = 'sync-now-disabled-reason'
  return (
    <span className="review-action">
      <button type="button" className="button" disabled={!online || sync.running} aria-describedby={online ? undefined : reasonId} onClick={() => void sync.run()} data-testid="sync-now" title={online ? undefined : t('sync.disabledOffline')}>
        <Icon name="refresh" />
        {sync.running ? t('sync.running') : t('sync.now')}
      </button>
      {online ? null : (
        <span id={reasonId} className="review-action__reason" data-testid="write-disabled-reason">
          {t('sync.disabledOffline')}
        </span>
      )}
    </span>
  )
}

export function TenantFilter({ value, onChange }: { value: string | undefined; onChange(id: string | undefined): void }) {
  const t = useT(reviewCatalog)
  const state = useConnection((s) => s.status?.state)
  const tenants = useRpcQuery('sync.tenants', {})
  const { reload } = tenants
  useEffect(() => reload(), [state, reload])
  const options = [{ value: '', label: t('filter.allTenants') }, ...(tenants.data?.tenants ?? []).map((tenant) => ({ value: tenant.id, label: tenantLabel(tenant) }))]
  return <SelectField label={t('filter.tenant')} value={value ?? ''} options={options} onChange={(event) => onChange(event.target.value || undefined)} />
}

export function tenantLabel(tenant: TenantOption): string {
  return tenant.name ?? `${tenant.id.slice(0, 8)}…`
}

/** Names for tenant ids in table cells (offline only ids are known). */
export function useTenantNames(): (id: string) => string {
  const tenants = useRpcQuery('sync.tenants', {})
  const names = new Map((tenants.data?.tenants ?? []).map((tenant) => [tenant.id, tenantLabel(tenant)]))
  return (id) => names.get(id) ?? `${id.slice(0, 8)}…`
}

export const TIME_PRESETS = { hour: 3600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000, all: null } as const
export type TimePreset = keyof typeof TIME_PRESETS

export function TimeFilter({ value, onChange }: { value: TimePreset; onChange(preset: TimePreset): void }) {
  const t = useT(reviewCatalog)
  const options = (Object.keys(TIME_PRESETS) as TimePreset[]).map((preset) => ({ value: preset, label: t(`filter.time.${preset}`) }))
  return <SelectField label={t('filter.time')} value={value} options={options} onChange={(event) => onChange(event.target.value as TimePreset)} />
}

/** The preset becomes a "from" time when chosen, so the list does not shift while it is scrolled. */
export function fromOf(preset: TimePreset, chosenAt: number): string | undefined {
  const span = TIME_PRESETS[preset]
  return span === null ? undefined : new Date(chosenAt - span).toISOString()
}

