import { useEffect, useState } from 'react'
import type { ChainVerification } from '../../../../shared/rpc/areas/audit'
import { Icon } from '../../components/Icon'
import { useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { notifyError } from '../../stores/notify'
import { SourceBadge } from '../../components/review/ReviewToolbar'
import { auditCatalog } from './messages'

/** The tenant's audit chain: verified on demand (the server recomputes every hash, which takes a while on big tenants). */
export function ChainStatus({ tenantId }: { tenantId: string | undefined }) {
  const t = useT(auditCatalog)
  const [result, setResult] = useState<ChainVerification | null>(null)
  const [running, setRunning] = useState(false)
  useEffect(() => setResult(null), [tenantId])
  if (!tenantId) return <p className="muted chain-status">{t('chain.pickTenant')}</p>
  const verify = () => {
    setRunning(true)
    rpc
      .call('audit.verifyChain', { tenantId })
      .then(setResult, notifyError)
      .finally(() => setRunning(false))
  }
  return (
    <div className="chain-status" data-testid="chain-status">
      <button type="button" className="button button--small" onClick={verify} disabled={running}>
        <Icon name="check" />
        {running ? t('chain.verifying') : t('chain.verify')}
      </button>
      {result ? (
        <>
          <span className={`badge ${result.status === 'broken' ? 'badge--danger' : 'badge--success'}`} data-status={result.status} role="status">
            {result.status === 'broken'
              ? t('chain.broken', { seq: result.brokenSeq ?? '?', reason: result.reason ?? '' })
              : result.status === 'linked'
                ? t('chain.linked', { rows: result.rowsChecked ?? 0 })
                : t(`chain.${result.status}`)}
          </span>
          <SourceBadge source={result.source} syncedAt={result.syncedAt} />
        </>
      ) : null}
    </div>
  )
}
