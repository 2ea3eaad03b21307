import { RpcError } from '../../shared/rpc/errors'
import { MAINTENANCE_JOBS, type MaintenanceJobName } from '../../shared/rpc/areas/maintenance'
import type { Database } from '../db/types'
import { toRpcError } from '../db/errors'
import { describeError } from '../rpc/describe-error'

/** A run renews its lease with every step; a console that dies mid-run frees the job after this. */
export const LEASE_SECONDS = 120
/** Executions per archival transaction: short locks, and progress the screen can show. */
export const ARCHIVE_BATCH = 5_000
/** Audit chains verified per transaction. */
const CHAIN_PAGE = 500
const PARTITION_MONTHS_AHEAD = 3

export interface RunOutcome {
  job: MaintenanceJobName
  /** False: not due, or another runner holds the job's lease. */
  ran: boolean
  rows: number
  error: string | null
}

type Report = (done: number, total: number | null) => Promise<void>
type JobBody = (db: Database, report: Report) => Promise<{ rows: number; error: string | null }>

async function scalar<T>(db: Database, sql: string, values: unknown[] = []): Promise<T> {
  const { rows } = await db.withPlatform((client) => client.query<{ v: T }>(sql, values))
  return rows[0]!.v
}

/** Oldest first, one transaction per batch, until a batch comes back short. */
const archiveExecutions: JobBody = async (db, report) => {
  const days = await scalar<number>(db, 'select archive_after_days as v from app.maintenance_jobs() limit 1')
  const total = Number(await scalar<string>(db, 'select app.archivable_executions($1) as v', [days]))
  let done = 0
  await report(0, total)
  for (;;) {
    const moved = await scalar<number>(db, 'select app.archive_executions_batch($1, $2) as v', [days, ARCHIVE_BATCH])
    done += moved
    await report(done, Math.max(total, done))
    if (moved < ARCHIVE_BATCH) return { rows: done, error: null }
  }
}

const eventPartitions: JobBody = async (db, report) => {
  const created = await scalar<number>(db, 'select app.create_event_partitions($1) as v', [PARTITION_MONTHS_AHEAD])
  await report(1, 1)
  return { rows: created, error: null }
}

const foldDailyUsage: JobBody = async (db, report) => {
  const changes = Number(await scalar<string>(db, 'select app.fold_daily_usage() as v'))
  await report(1, 1)
  return { rows: changes, error: null }
}

/** Every chain, a page of tenants at a time; a broken chain is the run's error, and the run goes on. */
const verifyAuditChains: JobBody = async (db, report) => {
  const total = 1 + Number(await scalar<string>(db, 'select count(*) as v from app.visible_tenants()'))
  let after: string | null = null
  let chains = 0
  let rows = 0
  const broken: string[] = []
  for (let first = true; ; first = false) {
    const page = await db.withPlatform((client) =>
      client.query<{ tenant_id: string | null; status: string; chain_rows: string; reason: string | null }>(
        'select tenant_id::text, status, chain_rows, reason from app.verify_audit_chains($1, $2, $3)',
        [after, first, CHAIN_PAGE]
      )
    )
    for (const chain of page.rows) {
      chains += 1
      rows += Number(chain.chain_rows)
      if (chain.status !== 'intact') broken.push(`${chain.tenant_id ?? 'platform'}: ${chain.reason ?? chain.status}`)
      if (chain.tenant_id !== null) after = chain.tenant_id
    }
    await report(chains, Math.max(total, chains))
    if (page.rows.length - (first ? 1 : 0) < CHAIN_PAGE) break
  }
  const error = broken.length ? `${broken.length} broken audit chain(s); first ${broken[0]}` : null
  return { rows, error }
}

const JOB_BODIES: Record<MaintenanceJobName, JobBody> = {
  archive_executions: archiveExecutions,
  event_partitions: eventPartitions,
  fold_daily_usage: foldDailyUsage,
  verify_audit_chains: verifyAuditChains
}

/** The job's lease (null: not due, or held by another runner). */
export async function claimJob(db: Database, job: MaintenanceJobName, forced: boolean): Promise<string | null> {
  return scalar<string | null>(db, 'select app.claim_maintenance_job($1, $2, $3)::text as v', [job, LEASE_SECONDS, forced])
}

/** Runs a claimed job to its end and records the outcome on its row (which frees the lease). */
export async function runClaimedJob(db: Database, job: MaintenanceJobName, run: string, log: (line: string) => void): Promise<RunOutcome> {
  const report: Report = async (done, total) => {
    await db.withPlatform((client) =>
      client.query('select app.report_maintenance_progress($1, $2, $3, $4, $5)', [job, run, done, total, LEASE_SECONDS])
    )
  }
  let outcome: RunOutcome
  try {
    const { rows, error } = await JOB_BODIES[job](db, report)
    outcome = { job, ran: true, rows, error }
  } catch (error) {
    outcome = { job, ran: true, rows: 0, error: toRpcError(error).message }
    log(`maintenance job ${job} failed: ${describeError(error)}`)
  }
  try {
    await db.withPlatform((client) => client.query('select app.finish_maintenance_job($1, $2, $3, $4)', [job, run, outcome.rows, outcome.error]))
  } catch (error) {
    // Lost lease or connection: the lease expires by itself and the row keeps the previous run.
    log(`maintenance job ${job} could not record its run: ${describeError(error)}`)
  }
  return outcome
}

export interface MaintenanceRunner {
  /** Runs every job that is due on the schedule and whose lease this console gets, one after another. */
  runDue(): Promise<RunOutcome[]>
  /** Claims the job now (CONFLICT when another run holds it) and runs it in the background. */
  runNow(job: MaintenanceJobName): Promise<{ started: true; finished: Promise<RunOutcome> }>
  close(): void
}

export interface MaintenanceRunnerOptions {
  /** The live database, or null while offline. */
  db(): Database | null
  /** Whether the signed-in operator could run platform-wide jobs at all (the database still decides). */
  mayRun(): boolean
  log?: (line: string) => void
  /** How often the schedule is looked at; 0 = never by itself (tests call runDue). */
  tickMs?: number
}

/**
 * The console's scheduler for the platform-wide jobs. While online as an admin it looks at the
 * schedule every tick; the database says which jobs are due and gives each to one runner only
 * (its lease), so any number of consoles can run this side by side.
 */
export function createMaintenanceRunner(options: MaintenanceRunnerOptions): MaintenanceRunner {
  const log = options.log ?? ((line: string) => console.log(line))
  let ticking: Promise<RunOutcome[]> | null = null
  /** A database that refused the jobs (one-tenant admin): not asked again until the connection changes. */
  let refusedBy: Database | null = null
  let closed = false

  async function runDue(): Promise<RunOutcome[]> {
    const db = options.db()
    if (!db || db === refusedBy || !options.mayRun()) return []
    const outcomes: RunOutcome[] = []
    for (const job of MAINTENANCE_JOBS) {
      let run: string | null
      try {
        run = await claimJob(db, job, false)
      } catch (error) {
        const mapped = toRpcError(error)
        if (mapped.code === 'FORBIDDEN') refusedBy = db
        else log(`maintenance schedule: ${describeError(error)}`)
        return outcomes
      }
      outcomes.push(run ? await runClaimedJob(db, job, run, log) : { job, ran: false, rows: 0, error: null })
    }
    return outcomes
  }

  const timer = options.tickMs
    ? setInterval(() => {
        if (closed || ticking) return
        ticking = runDue().finally(() => {
          ticking = null
        })
      }, options.tickMs)
    : null
  timer?.unref()

  return {
    runDue,
    async runNow(job) {
      const db = options.db()
      if (!db) throw new RpcError('OFFLINE', 'Maintenance jobs need the database.')
      const run = await claimJob(db, job, true)
      if (!run) {
        const holder = await db.withPlatform((client) =>
          client.query<{ running_by: string | null; running_since: Date | null }>('select running_by, running_since from app.maintenance_jobs() where job = $1', [job])
        )
        const { running_by: by, running_since: since } = holder.rows[0] ?? { running_by: null, running_since: null }
        throw new RpcError('CONFLICT', by && since ? `${by} has been running this job since ${since.toISOString()}.` : 'Another console is running this job.')
      }
      const finished = runClaimedJob(db, job, run, log)
      return { started: true, finished }
    },
    close() {
      closed = true
      if (timer) clearInterval(timer)
    }
  }
}
