import { useState, type FormEvent } from 'react'
import { REASON_MIN, TENANT_STATUSES, profileSchema, type TenantStatus } from '../../../../shared/rpc/areas/tenants'
import { visibleLength } from '../../../../shared/visible-text'
import { Dialog } from '../../components/Dialog'
import { SelectField, TextField } from '../../components/Field'
import { frameCatalog } from '../../i18n/catalog'
import { fieldIssues } from '../../i18n/errors'
import { formatDateTime } from '../../i18n/relativeTime'
import { useLocale, useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { notifyError, notifySuccess } from '../../stores/notify'
import { useGate } from '../../capabilities/useGate'
import { tenantsCatalog } from './messages'
import type { TabProps } from './TenantDetail'
import { localizedIssues } from './validation'

function ProfileForm({ detail, reload }: TabProps) {
  const t = useT(tenantsCatalog)
  const tf = useT(frameCatalog)
  const locale = useLocale()
  const gate = useGate('tenants.editProfile')
  const { profile } = detail
  const [draft, setDraft] = useState({ name: profile.name, contactEmail: profile.contactEmail ?? '', websiteUrl: profile.websiteUrl ?? '', businessIndustry: profile.businessIndustry ?? '' })
  const [issues, setIssues] = useState<Record<string, string>>({})

  async function save(event: FormEvent) {
    event.preventDefault()
    const found = localizedIssues(profileSchema, draft, t)
    setIssues(found)
    if (Object.keys(found).length > 0) return
    try {
      await rpc.call('tenants.updateProfile', { tenantId: profile.id, profile: draft })
      notifySuccess(t('profile.saved'))
      reload()
    } catch (e) {
      setIssues(Object.fromEntries(Object.entries(fieldIssues(e)).map(([k, v]) => [k.replace(/^profile\./, ''), v])))
      notifyError(e)
    }
  }

  const field = (key: keyof typeof draft, label: string, type = 'text') => (
    <TextField label={label} type={type} value={draft[key]} error={issues[key]} disabled={gate.disabled} onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} />
  )
  return (
    <form className="panel panel--padded form-grid" onSubmit={(e) => void save(e)} noValidate>
      {gate.note}
      {field('name', t('profile.name'))}
      {field('contactEmail', t('profile.email'), 'email')}
      {field('websiteUrl', t('profile.website'), 'url')}
      {field('businessIndustry', t('profile.industry'))}
      <p className="tenant-muted">{t('profile.updatedBy', { actor: profile.updatedBy, time: formatDateTime(profile.updatedAt, locale) })}</p>
      <div>
        <button type="submit" className="button button--primary" disabled={gate.disabled} aria-describedby={gate.describedBy}>{tf('action.save')}</button>
      </div>
    </form>
  )
}

function StatusForm({ detail, reload }: TabProps) {
  const t = useT(tenantsCatalog)
  const tf = useT(frameCatalog)
  const gate = useGate('tenants.changeStatus')
  const { profile } = detail
  const [status, setStatus] = useState<TenantStatus>(profile.status === 'active' ? 'suspended' : 'active')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [confirming, setConfirming] = useState(false)

  function ask(event: FormEvent) {
    event.preventDefault()
    if (visibleLength(reason) < REASON_MIN) {
      setError(t('validation.tooShort', { min: REASON_MIN }))
      return
    }
    setError(undefined)
    setConfirming(true)
  }

  async function confirm() {
    setConfirming(false)
    try {
      await rpc.call('tenants.setStatus', { tenantId: profile.id, status, reason })
      notifySuccess(t('status.changed', { status: t(`status.${status}`) }))
      setReason('')
      reload()
    } catch (e) {
      notifyError(e)
    }
  }

  return (
    <form className="panel panel--padded form-grid" onSubmit={ask} noValidate aria-labelledby="tenant-status-title">
      <h2 id="tenant-status-title" className="panel__title">{t('status.title')}</h2>
      <p>{t('status.current', { status: t(`status.${profile.status}`) })}</p>
      {gate.note}
      <SelectField
        label={t('status.new')}
        value={status}
        disabled={gate.disabled}
        options={TENANT_STATUSES.filter((s) => s !== profile.status).map((s) => ({ value: s, label: t(`status.${s}`) }))}
        onChange={(e) => setStatus(e.target.value as TenantStatus)}
      />
      <TextField label={t('status.reason')} hint={t('status.reasonHint', { min: REASON_MIN })} value={reason} error={error} disabled={gate.disabled} onChange={(e) => setReason(e.target.value)} />
      <div>
        <button type="submit" className="button button--danger" disabled={gate.disabled} aria-describedby={gate.describedBy}>{t('status.change')}</button>
      </div>
      <Dialog
        open={confirming}
        size="small"
        title={t('status.confirmTitle', { name: profile.name })}
        onClose={() => setConfirming(false)}
        footer={
          <>
            <button type="button" className="button" onClick={() => setConfirming(false)}>{tf('action.cancel')}</button>
            <button type="button" className="button button--danger-solid" onClick={() => void confirm()}>{t('status.confirm')}</button>
          </>
        }
      >
        <p>{t('status.confirmBody', { name: profile.name, status: t(`status.${status}`), reason: reason.trim() })}</p>
      </Dialog>
    </form>
  )
}

export function ProfileTab(props: TabProps) {
  return (
    <div className="tenant-columns">
      <ProfileForm key={props.detail.profile.updatedAt} {...props} />
      <StatusForm key={`${props.detail.profile.status}-${props.detail.profile.updatedAt}`} {...props} />
    </div>
  )
}
