import { useState } from 'react'
import { Dialog } from '../../components/Dialog'
import { Icon } from '../../components/Icon'
import { useT } from '../../i18n/useT'
import { credentialsCatalog } from './messages'

/** A copied secret is removed from the clipboard after this long, if the clipboard still holds it. */
export const CLIPBOARD_CLEAR_MS = 30_000

/**
 * Runs even after the dialog closed: the clipboard must not keep a secret the operator forgot
 * there. When the page may not read the clipboard, it cannot tell whether the secret is still
 * there, and clears it anyway: an overwritten clipboard costs less than a leaked secret.
 */
function clearClipboardLater(secret: string, onCleared: () => void): void {
  setTimeout(() => {
    void (async () => {
      const current = await navigator.clipboard.readText().catch(() => null)
      if (current === null || current === secret) {
        await navigator.clipboard.writeText('').catch(() => undefined)
        onCleared()
      }
    })()
  }, CLIPBOARD_CLEAR_MS)
}

export interface ShownSecret {
  credentialId: string
  label: string
  secret: string | null
  jwtKid: string | null
}

/**
 * The show-once dialog: the new secrets of a roll, each with a copy button. The parent passes them
 * in and drops them when this closes; nothing else holds them.
 */
export function SecretDialog({ secrets, onClose }: { secrets: readonly ShownSecret[] | null; onClose(): void }) {
  const t = useT(credentialsCatalog)
  const [note, setNote] = useState<string | null>(null)
  const copy = async (secret: string) => {
    await navigator.clipboard.writeText(secret)
    setNote(t('secret.copied', { seconds: CLIPBOARD_CLEAR_MS / 1000 }))
    clearClipboardLater(secret, () => setNote(t('secret.cleared')))
  }
  return (
    <Dialog
      open={secrets !== null}
      title={t('secret.title')}
      onClose={() => {
        setNote(null)
        onClose()
      }}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button button--primary" onClick={onClose} data-testid="secret-close">
            {t('secret.close')}
          </button>
        </>
      }
    >
      <div className="stack">
        <p className="callout">{t('secret.intro')}</p>
        <ul className="credential-secrets">
          {(secrets ?? []).map((s) => (
            <li key={s.credentialId}>
              {s.secret ? (
                <>
                  <label className="field__label" htmlFor={`secret-${s.credentialId}`}>
                    {t('secret.label', { label: s.label })}
                  </label>
                  <div className="credential-secret">
                    <input id={`secret-${s.credentialId}`} className="credential-secret__value" readOnly value={s.secret} spellCheck={false} data-testid="secret-value" />
                    <button type="button" className="button" onClick={() => void copy(s.secret!)} data-testid="secret-copy">
                      <Icon name="check" />
                      {t('secret.copy')}
                    </button>
                  </div>
                </>
              ) : (
                <p>{t('secret.jwt', { kid: s.jwtKid ?? '' })}</p>
              )}
            </li>
          ))}
        </ul>
        <p role="status" className="muted">
          {note}
        </p>
      </div>
    </Dialog>
  )
}
