import { z } from 'zod'
import { mutation } from '../define'
import { exportJobIdSchema, type ExportStarted } from '../exports'
import { dataSourceSchema, searchTextSchema, type Sourced } from '../list'
import { reviewProcedure } from '../review-procedures'

const uuid = z.uuid()
const isoTime = z.iso.datetime({ offset: true })

export const auditActionSchema = z.enum(['INSERT', 'UPDATE', 'DELETE'])

export const auditFilterSchema = z
  .strictObject({
    tenantId: uuid.optional(),
    actor: z.string().trim().min(1).max(63).optional(),
    action: auditActionSchema.optional(),
    resourceType: z.string().trim().min(1).max(100).regex(/^[a-z_][a-z0-9_]*$/, 'A table name').optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    text: searchTextSchema.optional()
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) < Date.parse(f.to), { message: '"from" must be before "to"', path: ['to'] })
export type AuditFilterInput = z.infer<typeof auditFilterSchema>

export interface AuditRow {
  id: string
  tenantId: string
  actor: string
  action: string
  resourceType: string
  resourceId: string | null
  createdAt: string
}

export interface AuditDetail extends AuditRow {
  oldValues: unknown
  newValues: unknown
  ipAddress: string | null
  userAgent: string | null
  seq: number
  chainPosition: number | null
  prevHash: string | null
  hash: string | null
}

/**
 * 'intact'/'broken' come from the server's app.verify_audit_chain, which recomputes every hash.
 * Offline only the links between cached rows can be checked ('linked'/'broken', recomputed: false).
 */
export interface ChainVerification extends Sourced {
  tenantId: string
  status: 'intact' | 'linked' | 'broken' | 'empty'
  recomputed: boolean
  brokenSeq: number | null
  brokenId: string | null
  reason: string | null
  rowsChecked: number | null
}

export const auditProcedures = {
  'audit.list': reviewProcedure.list(auditFilterSchema.default({})).returns<AuditRow>(),
  'audit.get': reviewProcedure.record<Sourced & { entry: AuditDetail }>(),
  'audit.verifyChain': reviewProcedure.ofTenant<ChainVerification>(),
  /** The filtered view as CSV, through the one export path (src/shared/rpc/exports.ts). */
  'audit.export': mutation(
    z.strictObject({ filter: auditFilterSchema.default({}), source: dataSourceSchema.default('auto'), jobId: exportJobIdSchema })
  ).returns<ExportStarted>()
} as const
