import type { MaintenanceJob, MaintenanceJobName, MaintenanceSchedule, MaintenanceStatus } from '../../../shared/rpc/areas/maintenance'
import type { Database } from '../../db/types'

/** The Maintenance screen warns when the events partitions end sooner than this. */
export const COVERAGE_WARNING_DAYS = 30
const DAY_MS = 86_400_000

interface JobRow {
  job: MaintenanceJobName
  every_seconds: string
  last_started_at: Date | null
  last_finished_at: Date | null
  last_duration_ms: string | null
  last_rows: string | null
  last_error: string | null
  last_run_by: string | null
  running_by: string | null
  running_since: Date | null
  lease_until: Date | null
  progress_done: string | null
  progress_total: string | null
  next_run_at: Date | null
  schedule_enabled: boolean
  archive_after_days: number
}

const iso = (value: Date | null) => (value ? value.toISOString() : null)
const num = (value: string | null) => (value === null ? null : Number(value))

function toJob(row: JobRow, now: number): MaintenanceJob {
  // An expired lease is a run that died: the next claim takes the job over, so it is not shown as running.
  const running = row.running_by && row.running_since && row.lease_until && row.lease_until.getTime() > now
  return {
    job: row.job,
    everySeconds: Number(row.every_seconds),
    lastStartedAt: iso(row.last_started_at),
    lastFinishedAt: iso(row.last_finished_at),
    lastDurationMs: num(row.last_duration_ms),
    lastRows: num(row.last_rows),
    lastError: row.last_error,
    lastRunBy: row.last_run_by,
    running: running ? { by: row.running_by!, since: row.running_since!.toISOString(), done: Number(row.progress_done ?? 0), total: num(row.progress_total) } : null,
    nextRunAt: iso(row.next_run_at)
  }
}

export async function maintenanceStatus(db: Database): Promise<MaintenanceStatus> {
  return db.withPlatform(async (client) => {
    const jobs = await client.query<JobRow & { now: Date }>('select j.*, statement_timestamp() as now from app.maintenance_jobs() j')
    const coverage = await client.query<{ covered_until: Date | null; partitions: number; default_rows: string }>('select * from app.event_partition_coverage()')
    const now = jobs.rows[0]?.now.getTime() ?? Date.now()
    const c = coverage.rows[0]!
    return {
      scheduleEnabled: jobs.rows[0]?.schedule_enabled ?? false,
      archiveAfterDays: jobs.rows[0]?.archive_after_days ?? 90,
      jobs: jobs.rows.map((row) => toJob(row, now)),
      coverage: {
        coveredUntil: iso(c.covered_until),
        daysLeft: c.covered_until ? Math.floor((c.covered_until.getTime() - now) / DAY_MS) : null,
        partitions: c.partitions,
        defaultRows: Number(c.default_rows)
      },
      warnBelowDays: COVERAGE_WARNING_DAYS
    }
  })
}

export async function setSchedule(db: Database, schedule: MaintenanceSchedule): Promise<MaintenanceStatus> {
  const every = schedule.everySeconds
  await db.withPlatform((client) =>
    client.query('select app.set_maintenance_schedule($1, $2, $3, $4, $5, $6)', [
      schedule.enabled,
      schedule.archiveAfterDays,
      every.archive_executions,
      every.event_partitions,
      every.fold_daily_usage,
      every.verify_audit_chains
    ])
  )
  return maintenanceStatus(db)
}
