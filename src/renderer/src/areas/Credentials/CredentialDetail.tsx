import { useState } from 'react'
import { REASON_MIN, type CredentialVersion, type GracePeriod } from '../../../../shared/rpc/areas/credentials'
import { useGate } from '../../capabilities/useGate'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { TextField } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Panel } from '../../components/Panel'
import { ErrorState, LoadingState } from '../../components/states'
import { useLocale, useT } from '../../i18n/useT'
import { runMutation, useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { GraceField } from './CredentialsScreen'
import { formatDateTime } from '../../i18n/format'
import { credentialsCatalog } from './messages'
import { SecretDialog, type ShownSecret } from './SecretDialog'

export function CredentialDetail({ tenantId, credentialId }: { tenantId: string; credentialId: string }) {
  const t = useT(credentialsCatalog)
  const locale = useLocale()
  const detail = useRpcQuery('credentials.get', { tenantId, credentialId })
  const rollGate = useGate('credentials.roll')
  const revokeGate = useGate('credentials.revoke')
  const requestGate = useGate('credentials.requestRoll')
  const [grace, setGrace] = useState<GracePeriod>('24h')
  const [shown, setShown] = useState<ShownSecret[] | null>(null)
  const [note, setNote] = useState('')
  // The whole credential, or one version of it.
  const [revoking, setRevoking] = useState<{ version: CredentialVersion | null } | null>(null)

  const roll = useMutation(
    () => rpc.call('credentials.roll', { tenantId, credentialId, seenVersion: detail.data?.credential.version ?? null, grace }),
    {
      onSuccess: (r) => {
        const c = detail.data!.credential
        setShown([{ credentialId: r.credentialId, label: c.label ?? c.clientId, secret: r.secret, jwtKid: r.version.jwtKid }])
        detail.reload()
      }
    }
  )

  if (!detail.data) return detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : <LoadingState />
  const { credential: c, versions } = detail.data
  const label = c.label ?? c.clientId
  const reasonField = { label: t('detail.reason'), hint: t('detail.reasonHint', { min: REASON_MIN }), min: REASON_MIN, tooShort: t('detail.reasonShort', { min: REASON_MIN }) }
  const revoked = c.state === 'revoked'

  return (
    <div className="screen credentials-screen">
      <a className="link" href="#/credentials">← {t('detail.back')}</a>
      <PageHeader title={label} description={`${t(`kind.${c.kind}`)} · ${c.tenantName}`} />
      <dl className="credential-facts">
        <div><dt>{t('detail.tenant')}</dt><dd>{c.tenantName} ({c.tenantSlug})</dd></div>
        <div><dt>{t('detail.clientId')}</dt><dd>{c.clientId}</dd></div>
        <div><dt>{t('col.state')}</dt><dd><span className={`badge credential-state--${c.state}`}>{t(`state.${c.state}`)}</span>{c.due !== 'ok' ? <> <span className={`badge credential-due--${c.due}`}>{t(`due.${c.due}`)}</span></> : null}</dd></div>
        <div><dt>{t('detail.expires')}</dt><dd>{formatDateTime(c.expiresAt, locale)}</dd></div>
      </dl>
      {c.rollRequestedAt ? <p className="callout">{t('detail.requested', { who: c.rollRequestedBy ?? '', time: formatDateTime(c.rollRequestedAt, locale), note: detail.data.rollRequestNote ?? '' })}</p> : null}
      {c.revokedAt ? <p className="callout">{t('detail.revoked', { time: formatDateTime(c.revokedAt, locale), reason: detail.data.revokeReason ?? '' })}</p> : null}
      {!revoked ? (
        <div className="credential-actions">
          <GraceField value={grace} onChange={setGrace} />
          <button type="button" className="button button--primary" disabled={rollGate.disabled || roll.running} aria-describedby={rollGate.describedBy} onClick={() => void roll.run()} data-testid="roll">
            {roll.running ? t('detail.rolling') : t('detail.roll')}
          </button>
          <button type="button" className="button button--danger" disabled={revokeGate.disabled} aria-describedby={revokeGate.describedBy} onClick={() => setRevoking({ version: null })} data-testid="revoke-credential">
            {t('detail.revoke')}
          </button>
        </div>
      ) : null}
      {!revoked ? rollGate.note : null}
      {!revoked && rollGate.disabled ? (
        <form
          className="credential-actions"
          onSubmit={(e) => {
            e.preventDefault()
            void runMutation(() => rpc.call('credentials.requestRoll', { tenantId, credentialId, note }), { success: () => t('detail.requested.toast'), onSuccess: () => { setNote(''); detail.reload() } })
          }}
        >
          <TextField label={t('detail.requestNote')} hint={t('detail.requestHint', { min: REASON_MIN })} value={note} disabled={requestGate.disabled} onChange={(e) => setNote(e.target.value)} />
          <button type="submit" className="button" disabled={requestGate.disabled} aria-describedby={requestGate.describedBy} data-testid="request-roll">{t('detail.requestRoll')}</button>
        </form>
      ) : null}
      <Panel title={t('detail.versions')} titleId="credential-versions" bodyClassName="panel__body">
        <ol className="credential-timeline" data-testid="versions">
          {versions.map((v) => (
            <li key={v.id} className="credential-version" data-state={v.state} data-testid={`version-${v.version}`}>
              <div className="credential-version__head">
                <strong>{t('version.title', { version: v.version })}</strong>
                <span className={`badge credential-version--${v.state}`}>{t(`version.${v.state}`)}</span>
                {(v.state === 'pending' || v.state === 'retiring' || v.state === 'expired') && !revoked ? (
                  <button type="button" className="button button--small button--danger" disabled={revokeGate.disabled} aria-describedby={revokeGate.describedBy} onClick={() => setRevoking({ version: v })}>
                    {t('version.revoke', { version: v.version })}
                  </button>
                ) : null}
              </div>
              {v.activatedAt ? <p>{t('version.activated', { time: formatDateTime(v.activatedAt, locale) })}</p> : null}
              {v.state === 'retiring' && v.graceEndsAt ? <p data-testid="valid-until">{t('version.validUntil', { time: formatDateTime(v.graceEndsAt, locale) })}</p> : null}
              {v.state === 'expired' && v.graceEndsAt ? <p>{t('version.endedAt', { time: formatDateTime(v.graceEndsAt, locale) })}</p> : null}
              {v.state === 'retiring' ? <p>{v.lastUsedAt && v.retiringAt && v.lastUsedAt > v.retiringAt ? t('version.stillUsed') : t('version.notUsedSinceRoll')}</p> : null}
              <p className="muted">
                {v.lastUsedAt ? t('version.lastUsed', { time: formatDateTime(v.lastUsedAt, locale) }) : t('time.never')}
                {v.secretPrefix ? ` · ${t('version.prefix', { prefix: `${v.secretPrefix}…` })}` : ''}
                {v.fingerprint ? ` · ${t('version.fingerprint', { fingerprint: v.fingerprint })}` : ''}
                {v.jwtKid ? ` · ${t('version.kid', { kid: v.jwtKid })}` : ''}
              </p>
              {v.revokedAt ? <p>{t('version.revokedBy', { who: v.revokedBy ?? '', reason: v.revokeReason ?? '' })}</p> : null}
            </li>
          ))}
        </ol>
      </Panel>
      <ConfirmDialog
        open={revoking !== null}
        title={revoking?.version ? t('version.revoke', { version: revoking.version.version }) : t('detail.revokeTitle', { label })}
        confirmLabel={revoking?.version ? t('version.revoke', { version: revoking.version.version }) : t('detail.revoke')}
        reason={reasonField}
        typeToConfirm={label}
        onCancel={() => setRevoking(null)}
        onConfirm={(reason) => {
          const version = revoking?.version ?? null
          setRevoking(null)
          if (version) {
            void runMutation(() => rpc.call('credentials.revokeVersion', { tenantId, versionId: version.id, reason, confirmation: label }), {
              success: () => t('version.revoked.toast'),
              onSuccess: detail.reload
            })
          } else {
            void runMutation(() => rpc.call('credentials.revoke', { tenantId, credentialId, reason, confirmation: label }), { success: () => t('detail.revoked.toast'), onSuccess: detail.reload })
          }
        }}
      >
        <p>{revoking?.version ? t('version.revokeIntro') : t('detail.revokeIntro')}</p>
      </ConfirmDialog>
      <SecretDialog secrets={shown} onClose={() => setShown(null)} />
    </div>
  )
}
