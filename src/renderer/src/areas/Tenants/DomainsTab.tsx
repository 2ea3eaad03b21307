import { useState, type FormEvent } from 'react'
import { hostnameSchema, type TenantDomain } from '../../../../shared/rpc/areas/tenants'
import { RpcError } from '../../../../shared/rpc/errors'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { TextField } from '../../components/Field'
import { Icon } from '../../components/Icon'
import { useT } from '../../i18n/useT'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useGate } from '../../capabilities/useGate'
import { tenantsCatalog } from './messages'
import type { TabProps } from './TenantDetail'

export function DomainsTab({ detail, reload }: TabProps) {
  const t = useT(tenantsCatalog)
  const gate = useGate('tenants.manageDomains')
  const [domain, setDomain] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [removing, setRemoving] = useState<TenantDomain | null>(null)

  async function add(event: FormEvent) {
    event.preventDefault()
    if (!hostnameSchema.safeParse(domain).success) {
      setError(t('validation.hostname'))
      return
    }
    setError(undefined)
    // A domain already registered (here or to another tenant) is said once, at the field.
    const duplicate = (e: unknown) => e instanceof RpcError && e.code === 'CONFLICT'
    await runMutation(() => rpc.call('tenants.addDomain', { tenantId: detail.profile.id, domain }), {
      success: (added) => t('domains.added', { domain: added.displayDomain }),
      onSuccess: () => {
        setDomain('')
        reload()
      },
      atField: duplicate,
      onError: (e) => duplicate(e) && setError(t('domains.duplicate'))
    })
  }

  async function remove(target: TenantDomain) {
    setRemoving(null)
    await runMutation(() => rpc.call('tenants.removeDomain', { tenantId: detail.profile.id, domainId: target.id }), { success: () => t('domains.removed', { domain: target.displayDomain }), onSuccess: reload })
  }

  return (
    <section className="panel panel--padded" aria-labelledby="tenant-domains-title">
      <h2 id="tenant-domains-title" className="panel__title">{t('domains.title')}</h2>
      {gate.note}
      {detail.domains.length === 0 ? <p>{t('domains.none')}</p> : null}
      <ul className="tenant-domains">
        {detail.domains.map((d) => (
          <li key={d.id} className="tenant-domain">
            <div className="tenant-domain__head">
              <strong>{d.displayDomain}</strong>
              <span className={`badge ${d.verified ? 'badge--success' : ''}`}>{d.verified ? t('domains.verified') : t('domains.unverified')}</span>
              <button type="button" className="icon-button" aria-label={t('domains.remove', { domain: d.displayDomain })} disabled={gate.disabled} aria-describedby={gate.describedBy} onClick={() => setRemoving(d)}>
                <Icon name="trash" />
              </button>
            </div>
            {d.verified ? null : (
              <div className="tenant-txt">
                <p>{t('domains.txtHelp')}</p>
                <dl>
                  <dt>{t('domains.txt')}</dt>
                  <dd><code>{d.txtRecord.name}</code></dd>
                  <dd><code>{d.txtRecord.value}</code></dd>
                </dl>
              </div>
            )}
          </li>
        ))}
      </ul>
      <form className="tenant-inline-form" onSubmit={(e) => void add(e)} noValidate>
        <TextField label={t('domains.new')} value={domain} error={error} disabled={gate.disabled} onChange={(e) => setDomain(e.target.value)} placeholder="chat.example.com" />
        <button type="submit" className="button button--primary" disabled={gate.disabled}>{t('domains.add')}</button>
      </form>
      <ConfirmDialog
        open={removing !== null}
        title={removing ? t('domains.confirmRemove', { domain: removing.displayDomain }) : ''}
        confirmLabel={removing ? t('domains.remove', { domain: removing.displayDomain }) : ''}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && void remove(removing)}
      >
        <p>{removing?.displayDomain}</p>
      </ConfirmDialog>
    </section>
  )
}
