import { ExportButton as KitExportButton } from '../../components/ExportButton'
import type { AuditFilterInput } from '../../../../shared/rpc/areas/audit'
import { useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { auditCatalog } from './messages'

/** CSV of the filtered audit view, through the console's one export path (the backend checks the filter). */
export function ExportButton({ filter }: { filter: object }) {
  const t = useT(auditCatalog)
  return (
    <KitExportButton
      start={(jobId) => rpc.call('audit.export', { filter: filter as AuditFilterInput, jobId })}
      label={t('export.button')}
      runningLabel={t('export.running')}
      doneMessage={({ rows, fileName }) => t('export.done', { rows, file: fileName })}
      testId="audit-export"
    />
  )
}
