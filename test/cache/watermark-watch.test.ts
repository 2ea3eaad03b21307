import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { WatermarkEvent } from '../../src/shared/events'
import type { Database } from '../../src/main/db/types'
import { HOLD_AFTER_MS, startWatermarkWatch } from '../../src/main/cache/watermark-watch'
import { makeOperator, type TestOperator } from '../helpers/db'

/**
 * Issue 14: a transaction open anywhere on the server holds the sync's watermark back; the console
 * says so (since when, which role and process) instead of waiting silently.
 *
 * Other test files run transactions on the same server meanwhile, and any of them may be the
 * oldest for a moment: the checks wait until the watch names this test's holder (or stops naming
 * it), rather than assuming it is the only transaction on the server.
 */
const WAIT = { timeout: 30_000, interval: 250 }

let operator: TestOperator
let db: Database

beforeAll(async () => {
  operator = await makeOperator(['support'])
  db = operator.database()
})

afterAll(async () => {
  await db?.close()
})

async function holdOpen(as: TestOperator) {
  const client = await as.client()
  await client.query('begin')
  // Only a transaction with an xid holds the watermark back.
  await client.query('select pg_current_xact_id()')
  const { rows } = await client.query<{ pid: number; started: Date }>('select pg_backend_pid() as pid, now() as started')
  return { client, ...rows[0]! }
}

describe('the watermark watch', () => {
  it('reports another role’s transaction held open past the threshold, with its role and process, and clears when it ends', async () => {
    const events: WatermarkEvent[] = []
    const watch = startWatermarkWatch({ db: () => db, emit: (event) => events.push(event), intervalMs: 3_600_000 })
    const other = await makeOperator(['finance'])
    const holder = await holdOpen(other)
    try {
      // Just begun: not yet a hold worth showing.
      expect((await watch.check())?.pid).not.toBe(holder.pid)
      await sleep(HOLD_AFTER_MS + 200)
      const hold = await vi.waitFor(async () => {
        const seen = await watch.check()
        // This role may not see when another role's transaction began: the time is when it was first seen.
        expect(seen).toMatchObject({ role: other.name, pid: holder.pid, exactSince: false })
        return seen!
      }, WAIT)
      expect(Date.parse(hold.since)).toBeGreaterThanOrEqual(holder.started.getTime())
      expect(events.at(-1)).toEqual({ type: 'watermark', hold })
    } finally {
      await holder.client.query('commit')
      await holder.client.end()
    }
    await vi.waitFor(async () => expect((await watch.check())?.pid).not.toBe(holder.pid), WAIT)
    expect(events.at(-1)?.hold?.pid).not.toBe(holder.pid)
    watch.close()
  })

  it('gives the exact start of a transaction the operator’s own role holds', async () => {
    const watch = startWatermarkWatch({ db: () => db, emit: () => undefined, intervalMs: 3_600_000 })
    const holder = await holdOpen(operator)
    try {
      await sleep(HOLD_AFTER_MS + 200)
      await vi.waitFor(
        async () => expect(await watch.check()).toMatchObject({ role: operator.name, pid: holder.pid, exactSince: true, since: holder.started.toISOString() }),
        WAIT
      )
    } finally {
      await holder.client.query('commit')
      await holder.client.end()
      watch.close()
    }
  })

  it('reports nothing while offline', async () => {
    const events: WatermarkEvent[] = []
    const watch = startWatermarkWatch({ db: () => null, emit: (event) => events.push(event), intervalMs: 3_600_000 })
    expect(await watch.check()).toBeNull()
    expect(events).toEqual([])
    watch.close()
  })
})
