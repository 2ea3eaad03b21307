import { useState, type FormEvent } from 'react'
import { BREAK_GLASS_MAX_MINUTES, REASON_MIN, tenantsProcedures, type TenantLookupMatch } from '../../../../shared/rpc/areas/tenants'
import { Dialog } from '../../components/Dialog'
import { TextField, WholeNumberField } from '../../components/Field'
import { frameCatalog } from '../../i18n/catalog'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { navigate } from '../../routing/route'
import { rpc } from '../../rpc/transport'
import { notifyError, notifySuccess } from '../../stores/notify'
import { tenantsCatalog } from './messages'
import { useIsOnline } from '../../stores/connection'
import { localizedIssues } from './validation'
import { wholeNumberIssues, wholeNumberOf } from '../../i18n/numbers'

const requestSchema = tenantsProcedures['tenants.requestAccess'].input

/** Break-glass: find a tenant not assigned to the operator by an exact identifier, then ask for time-boxed access. */
export function AccessDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(tenantsCatalog)
  const tf = useT(frameCatalog)
  const locale = useLocale()
  const online = useIsOnline()
  const [term, setTerm] = useState('')
  const [matches, setMatches] = useState<TenantLookupMatch[] | null>(null)
  const [chosen, setChosen] = useState<TenantLookupMatch | null>(null)
  const [reason, setReason] = useState('')
  const [minutes, setMinutes] = useState('60')
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)

  function close() {
    setTerm('')
    setMatches(null)
    setChosen(null)
    setReason('')
    setIssues({})
    onClose()
  }

  async function find(event: FormEvent) {
    event.preventDefault()
    if (term.trim().length < 3) {
      setIssues({ term: t('validation.tooShort', { min: 3 }) })
      return
    }
    setIssues({})
    try {
      const result = await rpc.call('tenants.lookup', { term })
      setMatches(result.matches)
      setChosen(result.matches.find((m) => !m.visible) ?? null)
    } catch (e) {
      notifyError(e)
    }
  }

  async function request(event: FormEvent) {
    event.preventDefault()
    if (!chosen) return
    const input = { tenantId: chosen.id, reason, minutes: wholeNumberOf(minutes, locale) }
    const found = { ...localizedIssues(requestSchema, input, t), ...wholeNumberIssues({ minutes }, locale) }
    setIssues(found)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    try {
      const grant = await rpc.call('tenants.requestAccess', { ...input, minutes: input.minutes as number })
      notifySuccess(t('access.granted', { time: formatDateTime(grant.expiresAt, locale) }))
      close()
      navigate(['tenants', grant.tenantId])
    } catch (e) {
      notifyError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog open={open} title={t('access.title')} onClose={close}>
      <p>{t('access.intro')}</p>
      <form className="tenant-inline-form" onSubmit={(e) => void find(e)}>
        <TextField label={t('access.term')} value={term} error={issues.term} onChange={(e) => setTerm(e.target.value)} autoFocus />
        <button type="submit" className="button">{t('access.find')}</button>
      </form>
      {matches && matches.length === 0 ? <p role="status">{t('access.none')}</p> : null}
      {matches && matches.length > 0 ? (
        <ul className="tenant-matches" aria-label={t('access.choose')}>
          {matches.map((m) => (
            <li key={m.id}>
              <strong>{m.name}</strong> <span className="tenant-muted">{m.slug}</span>{' '}
              {m.visible ? (
                <>
                  <span className="badge">{t('access.alreadyVisible')}</span>{' '}
                  <button type="button" className="button button--small" onClick={() => { close(); navigate(['tenants', m.id]) }}>{t('access.open')}</button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {chosen ? (
        <form onSubmit={(e) => void request(e)} className="form-grid">
          <TextField label={t('access.reason')} hint={t('access.reasonHint', { min: REASON_MIN })} value={reason} error={issues.reason} onChange={(e) => setReason(e.target.value)} />
          <WholeNumberField label={t('access.minutes')} hint={t('access.minutesHint', { max: BREAK_GLASS_MAX_MINUTES })} value={minutes} error={issues.minutes} onChange={(e) => setMinutes(e.target.value)} />
          <div className="dialog__footer">
            <button type="button" className="button" onClick={close}>{tf('action.cancel')}</button>
            <button type="submit" className="button button--primary" disabled={busy || !online}>{t('access.request')}</button>
          </div>
        </form>
      ) : null}
    </Dialog>
  )
}
