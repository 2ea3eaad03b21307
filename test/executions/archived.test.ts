import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecutionDetail, ExecutionRow } from '../../src/shared/rpc/areas/executions'
import { makeOperator, makeTenants, withAdmin, type TestOperator } from '../helpers/db'
import { operatorUrl, startScreensConsole, type ScreensConsole } from './fixture'

/**
 * Issue 14: archived executions stay searchable online behind "include archived", under the same
 * row-level security as the live ones (the archive is a forced-RLS table), steps included.
 */

let tenants: string[]
let operator: TestOperator
let screens: ScreensConsole
const ids: Record<'liveMine' | 'archivedMine' | 'archivedOther', string> = { liveMine: '', archivedMine: '', archivedOther: '' }
const MARKER = `zebracrossing${Date.now()}`

beforeAll(async () => {
  tenants = (await makeTenants(2, 'archived')).map((t) => t.id)
  await withAdmin(async (admin) => {
    for (const [index, tenant] of tenants.entries()) {
      const workflow = await admin.query<{ id: string }>(`insert into workflows (tenant_id, name) values ($1, 'Old flow') returning id`, [tenant])
      const insert = (daysAgo: number) =>
        admin.query<{ id: string }>(
          `insert into executions (tenant_id, workflow_id, workflow_name, status, error_message, started_at, finished_at)
           values ($1, $2, 'Old flow', 'error', $3, now() - make_interval(days => $4), now() - make_interval(days => $4) + interval '2 minutes')
           returning id`,
          [tenant, workflow.rows[0]!.id, `${MARKER} upstream timeout`, daysAgo]
        )
      const old = await insert(4000)
      await admin.query(
        `insert into execution_steps (tenant_id, execution_id, step_index, step_name, status, started_at, error_message)
         values ($1, $2, 0, 'Fetch', 'error', now() - interval '4000 days', 'HTTP 504')`,
        [tenant, old.rows[0]!.id]
      )
      if (index === 0) {
        ids.archivedMine = old.rows[0]!.id
        ids.liveMine = (await insert(1)).rows[0]!.id
      } else {
        ids.archivedOther = old.rows[0]!.id
      }
    }
  })
  const platformAdmin = await makeOperator(['admin'], [null])
  await platformAdmin.withClient(async (client) => {
    while ((await client.query<{ n: number }>('select app.archive_executions_batch(3000, 1000) as n')).rows[0]!.n === 1000);
  })
  operator = await makeOperator(['support'], [tenants[0]!])
  screens = await startScreensConsole(operatorUrl(operator))
})

afterAll(async () => {
  await screens?.close()
})

describe('include archived', () => {
  it('leaves archived executions out by default, and finds them with the switch, marked, for visible tenants only', async () => {
    const plain = await screens.ok<{ rows: ExecutionRow[]; source: string }>('executions.list', { filter: { errorText: MARKER }, limit: 50 })
    expect(plain.source).toBe('server')
    expect(plain.rows.map((r) => r.id)).toEqual([ids.liveMine])

    const withArchive = await screens.ok<{ rows: ExecutionRow[] }>('executions.list', { filter: { errorText: MARKER, includeArchived: true }, limit: 50 })
    expect(withArchive.rows.map((r) => [r.id, r.archived])).toEqual([
      [ids.liveMine, false],
      [ids.archivedMine, true]
    ])
    // Even asked for by tenant, the other tenant's archive shows nothing.
    const foreign = await screens.call('executions.list', { filter: { tenantId: tenants[1], includeArchived: true }, limit: 50 })
    expect(foreign).toMatchObject({ ok: true, value: { rows: [] } })
  })

  it('pages across the live and the archived rows without a gap or a repeat', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { rows: ExecutionRow[]; nextCursor: string | null } = await screens.ok('executions.list', {
        filter: { tenantId: tenants[0], includeArchived: true },
        limit: 1,
        ...(cursor ? { cursor } : {})
      })
      seen.push(...page.rows.map((r) => r.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([ids.liveMine, ids.archivedMine])
  })

  it('opens an archived execution with its steps, and not another tenant’s', async () => {
    const { execution } = await screens.ok<{ execution: ExecutionDetail }>('executions.get', { tenantId: tenants[0], id: ids.archivedMine })
    expect(execution).toMatchObject({ id: ids.archivedMine, archived: true, errorMessage: `${MARKER} upstream timeout` })
    expect(execution.steps).toMatchObject([{ stepIndex: 0, stepName: 'Fetch', status: 'error', errorMessage: 'HTTP 504' }])
    const foreign = await screens.call('executions.get', { tenantId: tenants[1], id: ids.archivedOther })
    expect(foreign).toMatchObject({ ok: false })
  })
})
