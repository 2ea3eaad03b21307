import { useState, type FormEvent } from 'react'
import { LIMIT_FIELDS, limitsSchema, type TenantLimits } from '../../../../shared/rpc/areas/tenants'
import { WholeNumberField } from '../../components/Field'
import { formatNumber } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useGate } from '../../capabilities/useGate'
import { tenantsCatalog } from './messages'
import type { TabProps } from './TenantDetail'
import { localizedIssues } from './validation'
import { wholeNumberIssues, wholeNumberOf } from '../../i18n/numbers'

type Draft = Record<keyof TenantLimits, string>

export function LimitsTab({ detail, reload }: TabProps) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const gate = useGate('tenants.editLimits')
  const before = detail.limits
  const [draft, setDraft] = useState<Draft>(() => Object.fromEntries(LIMIT_FIELDS.map((f) => [f, before ? String(before[f]) : ''])) as Draft)
  const [issues, setIssues] = useState<Record<string, string>>({})
  const candidate = Object.fromEntries(LIMIT_FIELDS.map((f) => [f, wholeNumberOf(draft[f], locale)]))
  const live = { ...localizedIssues(limitsSchema, candidate, t), ...wholeNumberIssues(draft, locale) }
  // Changed means a different number ("1.000" for 1000 in Spanish is no change), or text that is no number.
  const changed = LIMIT_FIELDS.filter((f) => (before ? before[f] !== candidate[f] : draft[f].trim() !== ''))

  async function save(event: FormEvent) {
    event.preventDefault()
    setIssues(live)
    if (Object.keys(live).length > 0) return
    await runMutation(() => rpc.call('tenants.updateLimits', { tenantId: detail.profile.id, limits: candidate as TenantLimits }), { success: () => t('limits.saved'), onSuccess: reload })
  }

  return (
    <form className="panel panel--padded" onSubmit={(e) => void save(e)} noValidate aria-labelledby="tenant-limits-title">
      <h2 id="tenant-limits-title" className="panel__title">{t('limits.title')}</h2>
      {before ? null : <p>{t('limits.none')}</p>}
      {gate.note}
      <div className="tenant-columns">
        <div className="form-grid">
          {LIMIT_FIELDS.map((f) => (
            <WholeNumberField
              key={f}
              label={t(`limit.${f}`)}
              value={draft[f]}
              error={issues[f]}
              disabled={gate.disabled}
              onChange={(e) => {
                setDraft((d) => ({ ...d, [f]: e.target.value }))
                setIssues({})
              }}
            />
          ))}
        </div>
        <div className="table-wrap">
          <table className="table" aria-label={t('limits.preview')}>
            <caption className="tenant-caption">{t('limits.preview')}</caption>
            <thead>
              <tr><th scope="col">{t('limits.title')}</th><th scope="col">{t('limits.before')}</th><th scope="col">{t('limits.after')}</th></tr>
            </thead>
            <tbody>
              {LIMIT_FIELDS.map((f) => {
                const after = candidate[f]
                return (
                  <tr key={f} className={changed.includes(f) ? 'tenant-changed' : undefined}>
                    <th scope="row">{t(`limit.${f}`)}</th>
                    <td>{before ? formatNumber(before[f], locale) : '—'}</td>
                    <td>{live[f] ? <span className="tenant-over">{live[f]}</span> : typeof after === 'number' ? formatNumber(after, locale) : '—'}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {changed.length === 0 ? <p className="tenant-muted">{t('limits.unchanged')}</p> : null}
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={gate.disabled || changed.length === 0} aria-describedby={gate.describedBy}>{t('limits.save')}</button>
    </form>
  )
}
