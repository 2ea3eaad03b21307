import { z } from 'zod'
import { mutation, query } from '../define'

export const MAINTENANCE_JOBS = ['archive_executions', 'event_partitions', 'fold_daily_usage', 'verify_audit_chains'] as const
export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[number]
export const maintenanceJobSchema = z.enum(MAINTENANCE_JOBS)

/** One job as app.maintenance_jobs() reports it (times ISO, null when it never ran). */
export interface MaintenanceJob {
  job: MaintenanceJobName
  everySeconds: number
  lastStartedAt: string | null
  lastFinishedAt: string | null
  lastDurationMs: number | null
  lastRows: number | null
  lastError: string | null
  lastRunBy: string | null
  /** The run in progress (any console's), while its lease holds. */
  running: { by: string; since: string; done: number; total: number | null } | null
  /** Null while the schedule is off. */
  nextRunAt: string | null
}

export interface PartitionCoverage {
  /** Events up to this instant have a monthly partition of their own. */
  coveredUntil: string | null
  daysLeft: number | null
  partitions: number
  /** Events waiting in the DEFAULT partition for theirs. */
  defaultRows: number
}

export interface MaintenanceStatus {
  scheduleEnabled: boolean
  archiveAfterDays: number
  jobs: MaintenanceJob[]
  coverage: PartitionCoverage
  /** The coverage below which the screen warns. */
  warnBelowDays: number
}

const MINUTE = 60
const everySchema = z.number().int().min(MINUTE, 'at least one minute').max(31 * 86_400, 'at most 31 days')

export const maintenanceScheduleSchema = z.strictObject({
  enabled: z.boolean(),
  archiveAfterDays: z.number().int().min(1, 'at least one day').max(3650, 'at most 3650 days'),
  everySeconds: z.strictObject({
    archive_executions: everySchema,
    event_partitions: everySchema,
    fold_daily_usage: everySchema,
    verify_audit_chains: everySchema
  })
})
export type MaintenanceSchedule = z.infer<typeof maintenanceScheduleSchema>

export const maintenanceProcedures = {
  'maintenance.status': query(z.strictObject({})).returns<MaintenanceStatus>(),
  /** Claims the job's lease and starts it in the background; progress shows in maintenance.status. CONFLICT while another run holds it. */
  'maintenance.runNow': mutation(z.strictObject({ job: maintenanceJobSchema })).returns<{ started: true }>(),
  'maintenance.setSchedule': mutation(maintenanceScheduleSchema).returns<MaintenanceStatus>()
} as const
