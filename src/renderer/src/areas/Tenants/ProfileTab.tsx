import { useState, type FormEvent } from 'react'
import { REASON_MIN, TENANT_STATUSES, profileSchema, type TenantStatus } from '../../../../shared/rpc/areas/tenants'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { SelectField, TextField } from '../../components/Field'
import { frameCatalog } from '../../i18n/catalog'
import { fieldIssues } from '../../i18n/errors'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { runMutation, useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
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
    await runMutation(() => rpc.call('tenants.updateProfile', { tenantId: profile.id, profile: draft }), {
      success: () => t('profile.saved'),
      onSuccess: reload,
      onError: (e) => setIssues(Object.fromEntries(Object.entries(fieldIssues(e)).map(([k, v]) => [k.replace(/^profile\./, ''), v])))
    })
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
  const gate = useGate('tenants.changeStatus')
  const { profile } = detail
  const [status, setStatus] = useState<TenantStatus>(profile.status === 'active' ? 'suspended' : 'active')
  const [confirming, setConfirming] = useState(false)
  const change = useMutation((reason: string) => rpc.call('tenants.setStatus', { tenantId: profile.id, status, reason }), {
    success: () => t('status.changed', { status: t(`status.${status}`) }),
    onSuccess: () => {
      setConfirming(false)
      reload()
    }
  })

  function ask(event: FormEvent) {
    event.preventDefault()
    setConfirming(true)
  }

  // The dialog has a form of its own, so it stands beside this one, not inside it.
  return (
    <>
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
        <div>
          <button type="submit" className="button button--danger" disabled={gate.disabled} aria-describedby={gate.describedBy}>{t('status.change')}</button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('status.confirmTitle', { name: profile.name })}
        confirmLabel={t('status.confirm')}
        busy={change.running}
        onCancel={() => setConfirming(false)}
        onConfirm={(reason) => void change.run(reason)}
        reason={{ label: t('status.reason'), hint: t('status.reasonHint', { min: REASON_MIN }), min: REASON_MIN, tooShort: t('validation.tooShort', { min: REASON_MIN }) }}
        // Closing a tenant ends its service: the operator types its slug, as a check of which tenant this is.
        typeToConfirm={status === 'closed' ? profile.slug : undefined}
      >
        <p>{t('status.confirmBody', { name: profile.name, status: t(`status.${status}`) })}</p>
      </ConfirmDialog>
    </>
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
