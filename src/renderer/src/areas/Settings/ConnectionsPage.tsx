import { useState, type ReactNode } from 'react'
import type { ConnectionEntry } from '../../../../shared/rpc/areas/connections'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Icon } from '../../components/Icon'
import { SectionHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { connectionName } from '../../i18n/connectionName'
import { useLocale, useT } from '../../i18n/useT'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { useConnection } from '../../stores/connection'
import { ConnectionForm } from './ConnectionForm'
import { DemoOperatorSwitch } from './DemoOperatorSwitch'
import { settingsCatalog } from './messages'
import { TestOutcome, type Outcome } from './TestOutcome'

/** user@host:port/database, the form operators already read in connection strings. */
function addressOf(entry: ConnectionEntry, pendingPort: string): string {
  return `${entry.user}@${entry.host}:${entry.port ?? pendingPort}/${entry.database}`
}

export function ConnectionsPage() {
  const locale = useLocale()
  const t = useT(settingsCatalog)
  const list = useRpcQuery('connections.list', {})
  const [editing, setEditing] = useState<ConnectionEntry | 'new' | null>(null)
  const [removing, setRemoving] = useState<ConnectionEntry | null>(null)
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({})
  const [busy, setBusy] = useState<string | null>(null)
  const onDemo = useConnection((state) => state.status?.demo === true)

  async function test(entry: ConnectionEntry) {
    setOutcomes((previous) => ({ ...previous, [entry.id]: { kind: 'running' } }))
    try {
      const result = await rpc.call('connections.test', { id: entry.id })
      setOutcomes((previous) => ({ ...previous, [entry.id]: { kind: 'ok', result } }))
    } catch (error) {
      setOutcomes((previous) => ({ ...previous, [entry.id]: { kind: 'failed', error } }))
    }
  }

  // The row being written is busy, not the whole page: runMutation's outcome clears it either way.
  function activate(entry: ConnectionEntry) {
    setBusy(entry.id)
    void runMutation(() => rpc.call('connections.activate', { id: entry.id }), {
      success: () => t('connections.activated', { name: connectionName({ demo: entry.kind === 'demo', name: entry.name }, locale) }),
      onSuccess: (status) => {
        useConnection.setState({ status })
        list.reload()
      },
      onSettled: () => setBusy(null)
    })
  }

  function remove(entry: ConnectionEntry) {
    setBusy(entry.id)
    void runMutation(() => rpc.call('connections.remove', { id: entry.id }), {
      success: () => t('connections.removed', { name: entry.name }),
      onSuccess: () => {
        setRemoving(null)
        list.reload()
      },
      onSettled: () => setBusy(null)
    })
  }

  let content
  if (list.error && !list.data) content = <ErrorState error={list.error} onRetry={list.reload} />
  else if (!list.data) content = <LoadingState />
  else if (list.data.connections.length === 0) content = <EmptyState icon="database" title={t('connections.empty')} />
  else
    content = (
      <div className="table-wrap">
        <table className="table" aria-label={t('connections.tableLabel')}>
          <thead>
            <tr>
              <th scope="col">{t('connections.col.name')}</th>
              <th scope="col">{t('connections.col.server')}</th>
              <th scope="col">{t('connections.col.ssl')}</th>
              <th scope="col">{t('connections.col.password')}</th>
              <th scope="col" className="table__actions-header">
                {t('connections.col.actions')}
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.connections.map((entry) => {
              const outcome = outcomes[entry.id]
              return (
                <ConnectionRows key={entry.id} entry={entry} outcome={outcome}>
                  <td>
                    <div className="cell-title">
                      <span className="cell-title__text">{connectionName({ demo: entry.kind === 'demo', name: entry.name }, locale)}</span>
                      {entry.active ? <span className="badge badge--success">{t('connections.active')}</span> : null}
                      {entry.kind === 'demo' ? <span className="badge">{t('connections.kind.demo')}</span> : null}
                      {entry.kind === 'env' ? <span className="badge">{t('connections.kind.env')}</span> : null}
                    </div>
                  </td>
                  <td className="mono address">{addressOf(entry, t('connections.portPending'))}</td>
                  <td className="nowrap">{t(`ssl.${entry.sslMode}`)}</td>
                  <td className="nowrap">{entry.hasPassword ? t('connections.password.stored') : t('connections.password.none')}</td>
                  <td className="table__actions">
                    <button type="button" className="button button--small" onClick={() => test(entry)} disabled={outcome?.kind === 'running'} aria-label={t('connections.testLabel', { name: connectionName({ demo: entry.kind === 'demo', name: entry.name }, locale) })}>
                      <Icon name="plug" />
                      {t('connections.test')}
                    </button>
                    {!entry.active ? (
                      <button type="button" className="button button--small" onClick={() => activate(entry)} disabled={busy === entry.id} aria-label={t('connections.activateLabel', { name: connectionName({ demo: entry.kind === 'demo', name: entry.name }, locale) })}>
                        {t('connections.activate')}
                      </button>
                    ) : null}
                    {entry.kind === 'profile' ? (
                      <button type="button" className="button button--small" onClick={() => setEditing(entry)} aria-label={t('connections.editLabel', { name: entry.name })}>
                        {t('connections.edit')}
                      </button>
                    ) : null}
                    {/* The active profile cannot be removed (the backend refuses with CONFLICT): switch first. */}
                    {entry.kind === 'profile' && !entry.active ? (
                      <button type="button" className="button button--small button--danger" onClick={() => setRemoving(entry)} aria-label={t('connections.removeLabel', { name: entry.name })}>
                        <Icon name="trash" />
                        {t('connections.remove')}
                      </button>
                    ) : null}
                  </td>
                </ConnectionRows>
              )
            })}
          </tbody>
        </table>
      </div>
    )

  return (
    <section aria-labelledby="settings-page-title" className="settings-page">
      <SectionHeader
        id="settings-page-title"
        title={t('page.connections')}
        description={t('page.connections.description')}
        actions={
          <button type="button" className="button button--primary" onClick={() => setEditing('new')}>
            <Icon name="plus" />
            {t('connections.add')}
          </button>
        }
      />
      {content}
      {onDemo ? <DemoOperatorSwitch onSwitched={list.reload} /> : null}
      {editing ? (
        <ConnectionForm
          entry={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null)
            list.reload()
          }}
        />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title={removing ? t('connections.removeTitle', { name: removing.name }) : ''}
        confirmLabel={t('connections.remove')}
        busy={busy !== null}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove(removing)}
      >
        <p>{t('connections.removeBody')}</p>
      </ConfirmDialog>
    </section>
  )
}

/** The profile's row, plus a second row with the answer of its last "Test" when there is one. */
function ConnectionRows({ entry, outcome, children }: { entry: ConnectionEntry; outcome: Outcome | undefined; children: ReactNode }) {
  return (
    <>
      <tr data-connection-id={entry.id}>{children}</tr>
      {outcome ? (
        <tr className="table__detail-row">
          <td colSpan={5}>
            <TestOutcome outcome={outcome} />
          </td>
        </tr>
      ) : null}
    </>
  )
}
