import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WatermarkEvent } from '../../src/shared/events'
import type { Database } from '../../src/main/db/types'
import { HOLD_AFTER_MS, startWatermarkWatch } from '../../src/main/cache/watermark-watch'
import { makeOperator, type TestOperator } from '../helpers/db'

/**
 * Issue 14: a transaction open anywhere on the server holds the sync's watermark back; the console
 * says so (since when, which role and process) instead of waiting silently.
 */

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
      expect(await watch.check()).toBeNull()
      await sleep(HOLD_AFTER_MS + 200)
      const hold = await watch.check()
      // This role may not see when another role's transaction began: the time is when it was first seen.
      expect(hold).toMatchObject({ role: other.name, pid: holder.pid, exactSince: false })
      expect(Date.parse(hold!.since)).toBeGreaterThanOrEqual(holder.started.getTime())
      expect(events.at(-1)).toEqual({ type: 'watermark', hold })
    } finally {
      await holder.client.query('commit')
      await holder.client.end()
    }
    expect(await watch.check()).toBeNull()
    expect(events.at(-1)).toEqual({ type: 'watermark', hold: null })
    watch.close()
  })

  it('gives the exact start of a transaction the operator’s own role holds', async () => {
    const watch = startWatermarkWatch({ db: () => db, emit: () => undefined, intervalMs: 3_600_000 })
    const holder = await holdOpen(operator)
    try {
      await sleep(HOLD_AFTER_MS + 200)
      const hold = await watch.check()
      expect(hold).toMatchObject({ role: operator.name, pid: holder.pid, exactSince: true, since: holder.started.toISOString() })
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
