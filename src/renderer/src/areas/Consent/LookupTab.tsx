import { useState, type FormEvent } from 'react'
import { IDENTITY_KINDS, REGULATIONS, REQUEST_TYPES, identitySchema, type IdentityKind, type Regulation, type RequestType, type SubjectMatch } from '../../../../shared/rpc/areas/consent'
import { Dialog } from '../../components/Dialog'
import { SelectField, TextField } from '../../components/Field'
import { EmptyState } from '../../components/states'
import { useGate } from '../../capabilities/useGate'
import { useLocale, useT } from '../../i18n/useT'
import { hrefOf } from '../../routing/hash'
import { navigate } from '../../routing/route'
import { useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import type { TenantTabProps } from './ConsentScreen'
import { formatDate } from './format'
import { consentCatalog } from './messages'

/** Find a person by e-mail, phone or external id in every tenant the operator may see (the database audits it). */
export function LookupTab(_props: TenantTabProps) {
  const t = useT(consentCatalog)
  const gate = useGate('consent.lookup')
  const [kind, setKind] = useState<IdentityKind>('email')
  const [identity, setIdentity] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [matches, setMatches] = useState<SubjectMatch[] | null>(null)
  const [requestFor, setRequestFor] = useState<SubjectMatch | null>(null)
  const lookup = useMutation((input: { kind: IdentityKind; identity: string }) => rpc.call('consent.lookup', input), { onSuccess: (r) => setMatches(r.matches) })

  function submit(event: FormEvent) {
    event.preventDefault()
    // The same schema as the procedure: the form refuses what the server would, with its words.
    const parsed = identitySchema.safeParse({ kind, identity })
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message)
      return
    }
    setFieldError(undefined)
    void lookup.run(parsed.data)
  }

  return (
    <>
      <form className="panel panel--padded" aria-labelledby="consent-lookup-title" onSubmit={submit} noValidate>
        <h2 id="consent-lookup-title" className="panel__title">{t('lookup.title')}</h2>
        <div className="consent-filters">
          <SelectField
            label={t('lookup.kind')}
            value={kind}
            onChange={(e) => setKind(e.target.value as IdentityKind)}
            options={IDENTITY_KINDS.map((k) => ({ value: k, label: t(`lookup.${k}`) }))}
            data-testid="consent-lookup-kind"
          />
          <TextField label={t('lookup.identity')} value={identity} onChange={(e) => setIdentity(e.target.value)} error={fieldError} hint={t('lookup.hint')} data-testid="consent-lookup-identity" />
          <button type="submit" className="button button--primary" disabled={gate.disabled || lookup.running} aria-describedby={gate.describedBy} data-testid="consent-lookup-submit">
            {t('lookup.submit')}
          </button>
        </div>
        {gate.note}
      </form>
      {matches === null ? null : matches.length === 0 ? (
        <EmptyState title={t('lookup.none')} />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('lookup.matches')} data-testid="consent-lookup-matches">
            <thead>
              <tr>
                <th scope="col">{t('column.tenant')}</th>
                <th scope="col">{t('column.person')}</th>
                <th scope="col">{t('column.email')}</th>
                <th scope="col">{t('column.phone')}</th>
                <th scope="col" className="table__actions-header">{t('column.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {matches.map((m) => (
                <tr key={m.subjectId}>
                  <td>{m.tenantName}</td>
                  <td>{m.externalId}</td>
                  <td>{m.email ?? ''}</td>
                  <td>{m.phone ?? ''}</td>
                  <td className="table__actions">
                    <a className="button button--small" href={hrefOf(['consent', 'people', m.tenantId, m.externalId])} data-testid="consent-open-history">
                      {t('lookup.openHistory')}
                    </a>
                    <button type="button" className="button button--small" onClick={() => setRequestFor(m)} data-testid="consent-new-request">
                      {t('lookup.newRequest')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewRequestDialog match={requestFor} onClose={() => setRequestFor(null)} />
    </>
  )
}

function NewRequestDialog({ match, onClose }: { match: SubjectMatch | null; onClose(): void }) {
  const t = useT(consentCatalog)
  const locale = useLocale()
  const gate = useGate('consent.handleRequests')
  const [requestType, setRequestType] = useState<RequestType>('access')
  const [regulation, setRegulation] = useState<Regulation>('gdpr')
  const create = useMutation(
    (m: SubjectMatch) => rpc.call('consent.createRequest', { tenantId: m.tenantId, subjectId: m.subjectId, requestType, regulation }),
    {
      success: (r) => t('request.created', { date: formatDate(r.dueAt, locale) }),
      onSuccess: (r) => {
        onClose()
        navigate(['consent', 'requests', r.tenantId])
      }
    }
  )
  return (
    <Dialog
      open={match !== null}
      title={t('request.new')}
      onClose={onClose}
      footer={
        <button
          type="button"
          className="button button--primary"
          disabled={gate.disabled || create.running}
          aria-describedby={gate.describedBy}
          onClick={() => match && void create.run(match)}
          data-testid="consent-create-request"
        >
          {t('request.create')}
        </button>
      }
    >
      <p>{match ? `${match.externalId} · ${match.tenantName}` : ''}</p>
      <SelectField label={t('request.type')} value={requestType} onChange={(e) => setRequestType(e.target.value as RequestType)} options={REQUEST_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))} data-testid="consent-request-type" />
      <SelectField label={t('request.regulation')} value={regulation} onChange={(e) => setRegulation(e.target.value as Regulation)} options={REGULATIONS.map((v) => ({ value: v, label: t(`regulation.${v}`) }))} data-testid="consent-request-regulation" />
      {gate.note}
    </Dialog>
  )
}
