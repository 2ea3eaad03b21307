import { useState, type FormEvent } from 'react'
import type { ConnectionEntry, SslMode } from '../../../../shared/rpc/areas/connections'
import { sslModeSchema } from '../../../../shared/rpc/areas/connections'
import { Dialog } from '../../components/Dialog'
import { SelectField, TextField, WholeNumberField } from '../../components/Field'
import { frameCatalog } from '../../i18n/catalog'
import { errorMessageKey, fieldIssues } from '../../i18n/errors'
import { useLocale, useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { notifySuccess } from '../../stores/notify'
import { draftFromEntry, emptyDraft, validateDraft, type ConnectionDraft, type DraftField, type DraftProblem } from './connectionDraft'
import { settingsCatalog } from './messages'
import { TestOutcome, type Outcome } from './TestOutcome'

const PROBLEM_KEYS = { required: 'form.required', invalidHost: 'form.invalidHost', invalidPort: 'form.invalidPort', tooLong: 'form.tooLong' } as const

/** Add (no entry) or edit a saved profile; "Test connection" tries the draft before it is saved. */
export function ConnectionForm({ entry, onClose, onSaved }: { entry: ConnectionEntry | null; onClose: () => void; onSaved: () => void }) {
  const t = useT(settingsCatalog)
  const tf = useT(frameCatalog)
  const locale = useLocale()
  const [draft, setDraft] = useState<ConnectionDraft>(() => (entry ? draftFromEntry(entry) : emptyDraft))
  const [problems, setProblems] = useState<Partial<Record<DraftField, DraftProblem>>>({})
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<unknown>(null)
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' })

  const set = (field: DraftField) => (event: { target: { value: string } }) => {
    setDraft((previous) => ({ ...previous, [field]: event.target.value }))
    setProblems((previous) => ({ ...previous, [field]: undefined }))
  }

  const messageFor = (field: DraftField): string | undefined => {
    const problem = problems[field]
    if (problem && problem !== 'other') return t(PROBLEM_KEYS[problem])
    return serverIssues[field] ?? (problem === 'other' ? t('form.invalid') : undefined)
  }

  function checked() {
    const result = validateDraft(draft, locale)
    setProblems(result.problems)
    setServerIssues({})
    return Object.keys(result.problems).length === 0 ? result.input : null
  }

  async function test() {
    const input = checked()
    if (!input) return
    setOutcome({ kind: 'running' })
    const { name: _name, ...params } = input
    try {
      setOutcome({ kind: 'ok', result: await rpc.call('connections.test', params) })
    } catch (error) {
      setOutcome({ kind: 'failed', error })
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    const input = checked()
    if (!input) return
    setSaving(true)
    setSaveError(null)
    try {
      const saved = await rpc.call('connections.save', input)
      notifySuccess(t('form.saved', { name: saved.name }))
      onSaved()
    } catch (error) {
      setServerIssues(fieldIssues(error))
      setSaveError(error)
    } finally {
      setSaving(false)
    }
  }

  const sslOptions = sslModeSchema.options.map((mode: SslMode) => ({ value: mode, label: t(`ssl.${mode}`) }))
  const hasProblems = Object.values(problems).some(Boolean)
  return (
    <Dialog
      open
      title={entry ? t('form.editTitle', { name: entry.name }) : t('form.addTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={test} disabled={outcome.kind === 'running'}>
            {t('form.test')}
          </button>
          <span className="spacer" />
          <button type="button" className="button button--ghost" onClick={onClose}>
            {tf('action.cancel')}
          </button>
          <button type="submit" form="connection-form" className="button button--primary" disabled={saving}>
            {tf('action.save')}
          </button>
        </>
      }
    >
      <form id="connection-form" className="form-grid" onSubmit={save} noValidate>
        <TextField label={t('form.name')} value={draft.name} onChange={set('name')} error={messageFor('name')} required autoFocus />
        <div className="form-grid__row">
          <TextField label={t('form.host')} value={draft.host} onChange={set('host')} error={messageFor('host')} required spellCheck={false} />
          <WholeNumberField label={t('form.port')} value={draft.port} onChange={set('port')} error={messageFor('port')} required className="input input--narrow" />
        </div>
        <div className="form-grid__row form-grid__row--pair">
          <TextField label={t('form.database')} value={draft.database} onChange={set('database')} error={messageFor('database')} required spellCheck={false} />
          <TextField label={t('form.user')} value={draft.user} onChange={set('user')} error={messageFor('user')} required spellCheck={false} autoComplete="username" />
        </div>
        <SelectField label={t('form.sslMode')} value={draft.sslMode} onChange={set('sslMode')} options={sslOptions} />
        <TextField
          label={t('form.password')}
          type="password"
          value={draft.password}
          onChange={set('password')}
          error={messageFor('password')}
          autoComplete="new-password"
          hint={entry?.hasPassword ? `${t('form.passwordKeep')} ${t('form.passwordHint')}` : t('form.passwordHint')}
        />
        {hasProblems ? (
          <p className="form-message form-message--error" role="alert">
            {t('form.invalid')}
          </p>
        ) : null}
        {saveError ? (
          <p className="form-message form-message--error" role="alert">
            {tf(errorMessageKey(saveError))}
          </p>
        ) : null}
        <TestOutcome outcome={outcome} />
      </form>
    </Dialog>
  )
}
