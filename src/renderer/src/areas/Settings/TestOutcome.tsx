import { RpcError } from '../../../../shared/rpc/errors'
import { Icon } from '../../components/Icon'
import { frameCatalog } from '../../i18n/catalog'
import { errorMessageKey } from '../../i18n/errors'
import { useT } from '../../i18n/useT'
import type { ConnectionTestResult } from '../../../../shared/rpc/areas/connections'
import { settingsCatalog } from './messages'

export type Outcome = { kind: 'idle' } | { kind: 'running' } | { kind: 'ok'; result: ConnectionTestResult } | { kind: 'failed'; error: unknown }

/** The answer of "Test": who the server says we are, or why it refused, in a live region. */
export function TestOutcome({ outcome }: { outcome: Outcome }) {
  const t = useT(settingsCatalog)
  const tf = useT(frameCatalog)
  let content = null
  if (outcome.kind === 'running') content = <span className="test-outcome">{t('connections.testing')}</span>
  else if (outcome.kind === 'ok')
    content = (
      <span className="test-outcome test-outcome--ok">
        <Icon name="check" />
        {t('connections.testOk', { user: outcome.result.sessionUser, version: outcome.result.serverVersion, ms: Math.round(outcome.result.latencyMs) })}
      </span>
    )
  else if (outcome.kind === 'failed')
    content = (
      <span className="test-outcome test-outcome--failed">
        <Icon name="alert" />
        {/* The class of failure names the cause; the code alone would say "the session has expired" for a wrong password. */}
        {outcome.error instanceof RpcError && outcome.error.connectionFailure ? t(`connections.failure.${outcome.error.connectionFailure}`) : tf(errorMessageKey(outcome.error))}
        {outcome.error instanceof RpcError ? <span className="test-outcome__detail">{outcome.error.message}</span> : null}
      </span>
    )
  return (
    <div role="status" className="test-outcome-region">
      {content}
    </div>
  )
}
