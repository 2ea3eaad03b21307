import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Backend } from '../../src/main/backend-types'
import type { OperatorGroup } from '../../src/main/db/operators'
import type { Database } from '../../src/main/db/types'
import { failingMoreThanUsual } from '../../src/main/domains/executions/inbox'
import { stalledSync } from '../../src/main/domains/sync/inbox'
import { collectInbox } from '../../src/main/inbox/collect'
import { inboxProviders } from '../../src/main/inbox/providers'
import type { CacheStatus } from '../../src/shared/rpc/areas/sync'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { makeOperator, withAdmin } from '../helpers/db'
import { makeSupportTenants, type SupportTenant } from '../tenants/harness'

/*
 * Issue 15, the home inbox: each provider against the run's own PostgreSQL, as real operator
 * roles; the inbox asks only what the operator's groups allow and names what it could not ask.
 */

const NOW = () => new Date()
const QUIET_CACHE: CacheStatus = { profileId: 'test', exists: true, lastSyncAt: new Date().toISOString(), running: false, rows: { executions: 0, auditLogs: 0, usageRecords: 0 }, lastError: null }

interface Session {
  backend: Backend
  close(): Promise<void>
}

/** The backend parts the inbox reads, with the database logged in as a real operator of `groups`. */
async function sessionAs(groups: OperatorGroup[], tenants: (string | null)[], state: ConnectionStatus['state'] = 'online'): Promise<Session & { name: string; db: Database }> {
  const operator = await makeOperator(groups, tenants)
  const db = operator.database({ maxConnections: 2 })
  const status: ConnectionStatus = { state, profileId: 'test', profileName: 'test', demo: false, lastSyncAt: null, operator: operator.name, groups: [...groups] }
  const backend = {
    db: state === 'online' ? db : null,
    status: () => status,
    offlineCache: { status: () => QUIET_CACHE },
    settings: { preferences: () => ({ sync: { enabled: true, intervalMinutes: 15 } }) }
  } as unknown as Backend
  return { name: operator.name, db, backend, close: () => db.close() }
}

let assigned: SupportTenant
let calm: SupportTenant
let elsewhere: SupportTenant
const sessions: Session[] = []

async function addExecutions(tenantId: string, rows: { status: string; hoursAgo: number; count: number }[]): Promise<void> {
  await withAdmin(async (admin) => {
    const workflow = await admin.query<{ id: string }>(`insert into workflows (tenant_id, name) values ($1, 'Order sync') returning id`, [tenantId])
    for (const row of rows) {
      await admin.query(
        `insert into executions (tenant_id, workflow_id, workflow_name, status, error_message, started_at, finished_at)
         select $1, $2, 'Order sync', $3::text, case when $3::text = 'success' then null else 'HTTP 503 from the shop' end,
                now() - make_interval(hours => $4::int) - make_interval(secs => g), now() - make_interval(hours => $4::int) - make_interval(secs => g) + interval '1 second'
           from generate_series(1, $5::int) g`,
        [tenantId, workflow.rows[0]!.id, row.status, row.hoursAgo, row.count]
      )
    }
  })
}

beforeAll(async () => {
  // Every support tenant used 1,500 agent calls yesterday against an allowance of 1,000.
  ;[assigned, calm, elsewhere] = (await makeSupportTenants(3, 'inbox')) as [SupportTenant, SupportTenant, SupportTenant]
  await withAdmin((admin) => admin.query(`update tenant_limits set agent_usage_limit = 5000 where tenant_id = $1 and active`, [calm.id]))
  // A usual week of few failures, then a bad day: with the harness's own two runs, 7 of the last 12 failed.
  for (const tenant of [assigned, calm, elsewhere]) await addExecutions(tenant.id, [{ status: 'success', hoursAgo: 72, count: 40 }, { status: 'error', hoursAgo: 72, count: 2 }])
  await addExecutions(assigned.id, [{ status: 'error', hoursAgo: 2, count: 6 }, { status: 'success', hoursAgo: 3, count: 4 }])
  await addExecutions(elsewhere.id, [{ status: 'crashed', hoursAgo: 2, count: 6 }])
  // Three weeks of about 1,500 agent calls a day, then one day of 60,000, for `assigned` and `elsewhere`; folded into the rollup.
  await withAdmin(async (admin) => {
    for (const tenant of [assigned, elsewhere]) {
      await admin.query(
        `insert into usage_records (tenant_id, usage_type, quantity, currency, period_start, period_end, recorded_at)
         select $1, 'ai_calls', case when d = 5 then 60000 else 1400 + 20 * (d % 10) end, 'EUR', x.at, x.at, x.at
           from generate_series(2, 24) d cross join lateral (select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - make_interval(days => d) + interval '12 hours' as at) x`,
        [tenant.id]
      )
    }
    await admin.query('select app.fold_daily_usage()')
  })
})

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()))
})

async function inboxOf(groups: OperatorGroup[], tenants: (string | null)[], state: ConnectionStatus['state'] = 'online') {
  const session = await sessionAs(groups, tenants, state)
  sessions.push(session)
  return { session, inbox: await collectInbox(session.backend, inboxProviders, NOW()) }
}

describe('the inbox of a support operator', () => {
  it('lists its own tenants over a limit and failing more than usual, each linking where it is handled', async () => {
    const { inbox } = await inboxOf(['support'], [assigned.id, calm.id])
    expect(inbox.gaps).toEqual([])
    const ids = inbox.items.map((item) => item.id)
    expect(ids).toContain(`overLimit:${assigned.id}`)
    expect(ids).toContain(`failing:${assigned.id}`)
    // A tenant within its limit and with its usual failures is not news; another desk's tenant is not this operator's.
    expect(ids.filter((id) => id.endsWith(calm.id) || id.endsWith(elsewhere.id))).toEqual([])

    const overLimit = inbox.items.find((item) => item.id === `overLimit:${assigned.id}`)!
    expect(overLimit).toMatchObject({ area: 'tenants', kind: 'overLimit', severity: 'warning', href: ['tenants', assigned.id, 'limits'], tenant: { id: assigned.id, name: assigned.name }, values: { used: 1500, allowed: 1000 } })
    const failing = inbox.items.find((item) => item.id === `failing:${assigned.id}`)!
    expect(failing).toMatchObject({ area: 'executions', href: ['executions', 'failing', assigned.id], severity: 'critical', values: { failed: 7, total: 12 } })
    expect(failing.values.usual).toBeCloseTo(2 / 42)
  })

  it('warns about its own break-glass grant before it ends, and not about a long one', async () => {
    const { session, inbox: before } = await inboxOf(['support'], [assigned.id])
    expect(before.items.some((item) => item.kind === 'breakGlassEnding')).toBe(false)
    await session.db.withPlatform((client) => client.query(`select app.request_break_glass($1, 'Customer called about failing orders', 10)`, [elsewhere.id]))
    const after = await collectInbox(session.backend, inboxProviders, NOW())
    const ending = after.items.find((item) => item.id === `breakGlassEnding:${elsewhere.id}`)
    expect(ending).toMatchObject({ area: 'tenants', severity: 'warning', href: ['tenants', elsewhere.id], tenant: { name: elsewhere.name } })
    expect(Date.parse(String(ending!.values.expiresAt)) - Date.now()).toBeGreaterThan(8 * 60_000)
    // The tenant reached through break-glass is visible now, with its own items.
    expect(after.items.map((item) => item.id)).toContain(`failing:${elsewhere.id}`)

    const { session: other } = await inboxOf(['support'], [])
    await other.db.withPlatform((client) => client.query(`select app.request_break_glass($1, 'A long investigation of the CRM', 120)`, [calm.id]))
    const long = await collectInbox(other.backend, inboxProviders, NOW())
    expect(long.items.filter((item) => item.kind === 'breakGlassEnding')).toEqual([])
  })

  it('lists critical items first, then the soonest', async () => {
    const { inbox } = await inboxOf(['admin'], [null])
    const severities = inbox.items.map((item) => item.severity)
    expect(severities).toEqual([...severities].sort((a, b) => (a === b ? 0 : a === 'critical' ? -1 : 1)))
    expect(inbox.items.map((item) => item.id)).toEqual(expect.arrayContaining([`overLimit:${elsewhere.id}`, `failing:${elsewhere.id}`]))
  })
})

describe('the inbox of finance and moderators', () => {
  it('asks no provider their groups may not use, so nothing fails and no support item shows', async () => {
    for (const group of ['finance', 'moderator'] as const) {
      const { inbox } = await inboxOf([group], [null])
      expect(inbox.gaps).toEqual([])
      // Their own: finance's usage anomalies (below), the moderators' review queue over its SLA
      // (area-items.test.ts; other files leave late templates in this shared database).
      const own = group === 'finance' ? 'usage' : 'marketplace'
      expect(inbox.items.filter((item) => item.area !== 'settings' && item.area !== own)).toEqual([])
    }
  })

  it('lists every tenant with unusual usage for finance, and only its own tenants for support, opening the anomalies view', async () => {
    const { inbox } = await inboxOf(['finance'], [null])
    const day = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10)
    for (const tenant of [assigned, elsewhere]) {
      expect(inbox.items.find((item) => item.id === `anomalies:${tenant.id}`)).toMatchObject({
        area: 'usage', kind: 'anomalies', severity: 'critical', href: ['usage', 'anomalies'], tenant: { id: tenant.id, name: tenant.name },
        values: { days: 1, periodDays: 30, date: day, usageType: 'ai_calls', quantity: 60000 }
      })
    }
    expect(inbox.items.some((item) => item.id === `anomalies:${calm.id}`)).toBe(false)
    const { inbox: support } = await inboxOf(['support'], [assigned.id])
    expect(support.items.filter((item) => item.kind === 'anomalies').map((item) => item.id)).toEqual([`anomalies:${assigned.id}`])
  })

  it('is refused by the database too: failure rates are for support and admin only', async () => {
    const { session } = await inboxOf(['finance'], [null])
    await expect(session.db.withPlatform((client) => client.query('select * from app.execution_failure_rates(24, 7)'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('the inbox offline', () => {
  it('still answers what needs no database, and names every provider it could not ask', async () => {
    const { inbox } = await inboxOf(['support'], [assigned.id], 'offline')
    expect(inbox.items).toEqual([])
    expect(inbox.gaps.map((gap) => `${gap.provider}:${gap.reason}`)).toEqual(['consent.requestsDue:offline', 'credentials.due:offline', 'executions.failing:offline', 'marketplace.overSla:offline', 'tenants.breakGlassEnding:offline', 'tenants.overLimit:offline', 'usage.anomalies:offline'])
  })
})

describe('the rules', () => {
  it('"failing more than usual" needs a few failures and a rate well above the usual one', () => {
    expect(failingMoreThanUsual({ recentTotal: 10, recentFailed: 6, baselineTotal: 42, baselineFailed: 2 })).toBe(true)
    expect(failingMoreThanUsual({ recentTotal: 2, recentFailed: 2, baselineTotal: 42, baselineFailed: 0 })).toBe(false)
    // A tenant whose runs always fail at this rate.
    expect(failingMoreThanUsual({ recentTotal: 100, recentFailed: 30, baselineTotal: 700, baselineFailed: 200 })).toBe(false)
    // Twice a tiny rate is still small.
    expect(failingMoreThanUsual({ recentTotal: 1000, recentFailed: 20, baselineTotal: 7000, baselineFailed: 60 })).toBe(false)
    expect(failingMoreThanUsual({ recentTotal: 3, recentFailed: 3, baselineTotal: 0, baselineFailed: 0 })).toBe(true)
  })

  it('a stalled sync is a failed run, or while online a cache far older than its interval', () => {
    const now = new Date('2026-03-01T12:00:00Z')
    const fresh = { ...QUIET_CACHE, lastSyncAt: '2026-03-01T11:50:00Z' }
    const old = { ...QUIET_CACHE, lastSyncAt: '2026-03-01T10:00:00Z' }
    const on = { enabled: true, intervalMinutes: 15 }
    expect(stalledSync(fresh, on, true, now)).toBeNull()
    expect(stalledSync(old, on, true, now)).toMatchObject({ id: 'syncStalled', href: ['settings', 'sync'], values: { lastSyncAt: old.lastSyncAt } })
    // Offline a sync cannot run; the status bar already says how old the cache is.
    expect(stalledSync(old, on, false, now)).toBeNull()
    expect(stalledSync(old, { enabled: false, intervalMinutes: 15 }, true, now)).toBeNull()
    expect(stalledSync({ ...fresh, lastError: 'connection reset' }, on, false, now)).toMatchObject({ id: 'syncFailed', severity: 'critical' })
    expect(stalledSync({ ...fresh, lastError: 'connection reset', running: true }, on, true, now)).toBeNull()
    // A two-hour interval is not stalled after two hours.
    expect(stalledSync(old, { enabled: true, intervalMinutes: 120 }, true, now)).toBeNull()
  })
})
