import { useEffect, useState, type FormEvent } from 'react'
import { moderationSettingsSchema } from '../../../../shared/rpc/areas/marketplace'
import { useGate } from '../../capabilities/useGate'
import { WholeNumberField } from '../../components/Field'
import { ErrorState, LoadingState } from '../../components/states'
import { wholeNumberOf } from '../../i18n/numbers'
import { useLocale, useT } from '../../i18n/useT'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { AreaNav } from './AreaNav'
import { marketplaceCatalog } from './messages'

/**
 * #/marketplace/settings: the SLA target the queue's badge measures against and the claim lease.
 * Everyone in the area reads them; admins assigned to all tenants change them (the form checks
 * with the procedure's own schema, the database with its policy).
 */
export function ModerationSettingsScreen() {
  const t = useT(marketplaceCatalog)
  const locale = useLocale()
  const gate = useGate('marketplace.settings')
  const query = useRpcQuery('marketplace.settings', {})
  const [draft, setDraft] = useState({ slaHours: '', claimLeaseMinutes: '' })
  const [issues, setIssues] = useState<Record<string, string>>({})
  const { data, reload } = query
  useEffect(() => {
    if (data) setDraft({ slaHours: String(data.slaHours), claimLeaseMinutes: String(data.claimLeaseMinutes) })
  }, [data])

  async function save(event: FormEvent) {
    event.preventDefault()
    const parsed = moderationSettingsSchema.safeParse({ slaHours: wholeNumberOf(draft.slaHours, locale), claimLeaseMinutes: wholeNumberOf(draft.claimLeaseMinutes, locale) })
    if (!parsed.success) {
      // In the chosen language: the field's own range (its hint), or, said by the field, that it is no whole number.
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.path[0] === 'slaHours' ? t('settings.slaHint') : t('settings.leaseHint')])))
      return
    }
    setIssues({})
    await runMutation(() => rpc.call('marketplace.updateSettings', parsed.data), { success: () => t('settings.saved'), onSuccess: reload })
  }

  return (
    <div className="screen marketplace-screen">
      <AreaNav current="settings" />
      {!data ? (
        query.error ? <ErrorState error={query.error} onRetry={reload} /> : <LoadingState />
      ) : (
        <form className="panel panel--padded stack mq-settings" onSubmit={(e) => void save(e)} noValidate aria-labelledby="mq-settings-title">
          <h2 id="mq-settings-title" className="panel__title">
            {t('settings.title')}
          </h2>
          {gate.note}
          <WholeNumberField label={t('settings.slaHours')} hint={t('settings.slaHint')} value={draft.slaHours} error={issues.slaHours} disabled={gate.disabled} onChange={(e) => setDraft((d) => ({ ...d, slaHours: e.target.value }))} />
          <WholeNumberField
            label={t('settings.leaseMinutes')}
            hint={t('settings.leaseHint')}
            value={draft.claimLeaseMinutes}
            error={issues.claimLeaseMinutes}
            disabled={gate.disabled}
            onChange={(e) => setDraft((d) => ({ ...d, claimLeaseMinutes: e.target.value }))}
          />
          <div>
            <button type="submit" className="button button--primary" disabled={gate.disabled} aria-describedby={gate.describedBy}>
              {t('settings.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
