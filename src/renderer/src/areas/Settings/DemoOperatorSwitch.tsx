import { useState } from 'react'
import type { DemoOperatorEntry } from '../../../../shared/rpc/areas/connections'
import { SectionHeader } from '../../components/PageHeader'
import { useT } from '../../i18n/useT'
import { runMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { useConnection } from '../../stores/connection'
import { settingsCatalog } from './messages'

/**
 * The embedded demo only: sign in as its operator of another group, so anyone can see what each
 * group's console offers. The backend reconnects as that role; navigation and the offline cache follow.
 */
export function DemoOperatorSwitch({ onSwitched }: { onSwitched(): void }) {
  const t = useT(settingsCatalog)
  const list = useRpcQuery('connections.demoOperators', {})
  const [busy, setBusy] = useState(false)

  function signIn(entry: DemoOperatorEntry) {
    setBusy(true)
    void runMutation(() => rpc.call('connections.signInDemoAs', { group: entry.group }), {
      success: () => t('demoOperators.switched', { operator: entry.operator }),
      onSuccess: (status) => {
        useConnection.setState({ status })
        list.reload()
        onSwitched()
      },
      onSettled: () => setBusy(false)
    })
  }

  if (!list.data) return null
  return (
    <section aria-labelledby="demo-operators-title" className="demo-operators">
      <SectionHeader id="demo-operators-title" level={3} title={t('demoOperators.title')} description={t('demoOperators.description')} />
      <div className="table-wrap">
        <table className="table" aria-label={t('demoOperators.tableLabel')}>
          <thead>
            <tr>
              <th scope="col">{t('demoOperators.col.group')}</th>
              <th scope="col">{t('demoOperators.col.role')}</th>
              <th scope="col" className="table__actions-header">
                <span className="visually-hidden">{t('connections.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.operators.map((entry) => {
              const group = t(`demoOperators.group.${entry.group}`)
              return (
                <tr key={entry.group} data-demo-group={entry.group}>
                  <td>{group}</td>
                  <td className="mono">{entry.operator}</td>
                  <td className="table__actions">
                    {entry.signedIn ? (
                      <span className="badge badge--success">{t('demoOperators.signedIn')}</span>
                    ) : (
                      <button type="button" className="button button--small" disabled={busy} onClick={() => signIn(entry)}>
                        {t('demoOperators.signIn', { group })}
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}
