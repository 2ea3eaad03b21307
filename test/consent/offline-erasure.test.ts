import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CacheDb } from '../../src/main/cache/db'
import { syncOnce } from '../../src/main/cache/sync/engine'
import type { Database } from '../../src/main/db/types'
import { openSyncScene, waitForWatermark, type SyncScene } from '../cache/fixtures'
import { makeOperator, type TestOperator } from '../helpers/db'
import { makePerson, type Person } from './people'

/**
 * Issue 12, item 4: an erasure reaches the offline caches. A support console synced the person's
 * conversations (and audit, usage and execution rows naming them); after an admin approves the
 * erasure, that console's next sync leaves no trace of the person in any cached column.
 */

const testDb = inject('db')
let scene: SyncScene
let db: Database
let cache: CacheDb
let approver: TestOperator
let approverClient: pg.Client
let person: Person
let bystander: Person

beforeAll(async () => {
  scene = await openSyncScene(testDb, { volumes: [{ executions: 5, auditLogs: 5, usageRecords: 2 }], dirPrefix: 'consent-erasure-' })
  ;({ db, cache } = scene.openEnds())
  const tenant = scene.tenants[0]!
  person = await makePerson(scene.admin, tenant, { messages: 40 })
  bystander = await makePerson(scene.admin, tenant, { messages: 2 })
  approver = await makeOperator(['admin'], [tenant])
  approverClient = await approver.client()
})

afterAll(async () => {
  await approverClient?.end()
  await scene?.close()
})

const sync = async () => {
  await waitForWatermark(scene.admin)
  return syncOnce(db, cache, { pageSize: 50 })
}

/** Cells of every cached table and column (found through SQLite's own catalog) that contain one of `needles`. */
function cacheMentions(needles: string[]): { table: string; column: string; rows: number }[] {
  const found: { table: string; column: string; rows: number }[] = []
  const tables = cache.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'`).pluck().all() as string[]
  for (const table of tables) {
    for (const { name } of cache.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]) {
      const rows = cache
        .prepare(`SELECT count(*) FROM "${table}" WHERE ${needles.map(() => `instr(CAST("${name}" AS TEXT), ?) > 0`).join(' OR ')}`)
        .pluck()
        .get(...needles) as number
      if (rows > 0) found.push({ table, column: name, rows })
    }
  }
  return found
}

const cachedConversations = (userId: string) => cache.prepare('SELECT count(*) FROM conversations WHERE user_id = ?').pluck().get(userId) as number

describe('an erasure and the offline caches', () => {
  it("drops the person's conversations and every mention of them from a console that synced them, at its next sync", async () => {
    await sync()
    expect(cachedConversations(person.externalId)).toBe(40)
    expect(cachedConversations(bystander.externalId)).toBe(2)
    // Their id and email reached the cache in more than the conversations (audit, usage, executions).
    const before = cacheMentions([person.externalId, person.email])
    expect(before.map((m) => m.table)).toEqual(expect.arrayContaining(['conversations', 'usage_records', 'audit_logs', 'executions']))

    // Four eyes: the scene's operator (support) requests, an admin approves.
    const support = { query: (sql: string, params: unknown[]) => db.withPlatform((client) => client.query(sql, params)) }
    let request = (await support.query('select * from app.create_subject_request($1, $2, $3, $4)', [person.tenantId, person.subjectId, 'erasure', 'gdpr'])).rows[0]
    request = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [request.id, request.version, 'identity_verified'])).rows[0]
    request = (await support.query('select * from app.advance_subject_request($1, $2, $3)', [request.id, request.version, 'in_progress'])).rows[0]
    await approverClient.query('select * from app.approve_erasure($1, $2)', [request.id, request.version])

    const report = await sync()
    expect(report.tombstones).toBeGreaterThanOrEqual(40)
    expect(cachedConversations(person.externalId)).toBe(0)
    expect(cacheMentions([person.externalId, person.email, person.subjectId])).toEqual([])
    // Nobody else lost anything.
    expect(cachedConversations(bystander.externalId)).toBe(2)
  })
})
