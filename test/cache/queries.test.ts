import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCacheForReading, openCacheForWriting, type CacheDb } from '../../src/main/cache/db'
import { countAuditLogs, getAuditLog, listAuditLogs } from '../../src/main/domains/audit/cache-queries'
import { countExecutions, getExecution, listExecutions } from '../../src/main/domains/executions/cache-queries'
import { toFtsQuery } from '../../src/main/reads/cache-sql'
import { toTsQuery } from '../../src/main/reads/sql'

let dir: string
let reader: CacheDb
const T0 = Date.UTC(2026, 0, 1)
const MINUTE = 60_000
const N = 5000
/** More audit rows than the search sorts in full, so the newest-first walk is exercised too. */
const AUDIT_N = 24_000

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cache-queries-'))
  const file = join(dir, 'cache.sqlite')
  const writer = openCacheForWriting(file)
  const execution = writer.prepare(
    `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, status, error_message, error_data, input_data, started_at, created_at, updated_at, sync_xid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`
  )
  const step = writer.prepare(
    `INSERT INTO execution_steps (id, tenant_id, execution_id, step_index, step_name, status, created_at, sync_xid) VALUES (?, ?, ?, ?, ?, 'success', ?, 1)`
  )
  const audit = writer.prepare(
    `INSERT INTO audit_logs (id, seq, tenant_id, actor, action, resource_type, old_values, new_values, created_at, sync_xid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`
  )
  writer.transaction(() => {
    for (let i = 0; i < N; i++) {
      // Several rows share each minute, so pages must break ties on rid.
      const at = T0 + Math.floor(i / 3) * MINUTE
      const failed = i % 10 === 0
      const message = failed ? (i % 1000 === 0 ? 'quota exhausted for openai' : `timeout calling stripe #${i}`) : null
      execution.run(`e${i}`, `t${i % 3}`, `w${i % 4}`, `Workflow ${i % 4}`, failed ? 'error' : 'success', message, failed ? JSON.stringify({ message }) : null, `{"n":${i}}`, at, at, at)
      if (i < 3) for (let s = 2; s >= 0; s--) step.run(`e${i}-s${s}`, `t${i % 3}`, `e${i}`, s, `step ${s}`, at)
    }
    for (let i = 0; i < AUDIT_N; i++) {
      const at = T0 + Math.floor(i / 3) * MINUTE
      const rare = i % 1250 === 0 ? 'zirconium' : 'growth'
      audit.run(`a${i}`, i, `t${i % 3}`, ['alice', 'bob'][i % 2], ['INSERT', 'UPDATE'][i % 2], ['tenants', 'workflows'][i % 2], `{"plan":"starter"}`, `{"plan":"${rare}"}`, at)
    }
  })()
  writer.close()
  reader = openCacheForReading(file)
})

afterAll(() => {
  reader?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Every page of a list, following the cursors. */
function allPages<T>(fetch: (cursor: string | null) => { rows: T[]; nextCursor: string | null }): T[] {
  const rows: T[] = []
  let cursor: string | null = null
  do {
    const page = fetch(cursor)
    rows.push(...page.rows)
    cursor = page.nextCursor
  } while (cursor !== null)
  return rows
}

describe('offline executions list', () => {
  it('pages newest first through every matching row exactly once', () => {
    const rows = allPages((cursor) => listExecutions(reader, { tenantId: 't1' }, 97, cursor))
    expect(rows).toHaveLength(countExecutions(reader, { tenantId: 't1' }))
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length)
    expect(rows.every((r) => r.tenantId === 't1')).toBe(true)
    const times = rows.map((r) => Date.parse(r.startedAt))
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('combines workflow, status and time range filters', () => {
    const from = new Date(T0 + 100 * MINUTE).toISOString()
    const to = new Date(T0 + 400 * MINUTE).toISOString()
    const rows = allPages((cursor) => listExecutions(reader, { workflowId: 'w2', status: 'error', from, to }, 50, cursor))
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) {
      expect([r.workflowId, r.status]).toEqual(['w2', 'error'])
      expect(Date.parse(r.startedAt)).toBeGreaterThanOrEqual(Date.parse(from))
      expect(Date.parse(r.startedAt)).toBeLessThan(Date.parse(to))
    }
    // The same rows a brute-force scan finds.
    const expected = reader
      .prepare("SELECT count(*) FROM executions WHERE workflow_id = 'w2' AND status = 'error' AND started_at >= ? AND started_at < ?")
      .pluck()
      .get(Date.parse(from), Date.parse(to))
    expect(rows).toHaveLength(expected as number)
  })

  it('finds error messages by words, whether the term is rare or common', () => {
    const rare = allPages((cursor) => listExecutions(reader, { errorText: 'quota openai' }, 2, cursor))
    expect(rare.map((r) => r.id).sort()).toEqual(['e0', 'e1000', 'e2000', 'e3000', 'e4000'])
    const common = listExecutions(reader, { errorText: 'stripe' }, 20)
    expect(common.rows).toHaveLength(20)
    expect(common.rows.every((r) => r.errorMessage?.includes('stripe'))).toBe(true)
    expect(countExecutions(reader, { errorText: 'stripe' })).toBe(N / 10 - 5)
    // Whole words, unless a prefix is asked for.
    expect(countExecutions(reader, { errorText: 'quota exh' })).toBe(0)
    expect(countExecutions(reader, { errorText: 'quota exh*' })).toBe(5)
  })

  it('opens an execution with its JSON and its steps in order', () => {
    const detail = getExecution(reader, 'e0')
    expect(detail.error).toEqual({ message: 'quota exhausted for openai' })
    expect(detail.input).toEqual({ n: 0 })
    expect(detail.steps.map((s) => s.stepIndex)).toEqual([0, 1, 2])
    expect(() => getExecution(reader, 'missing')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('refuses a cursor it did not hand out and a malformed time', () => {
    expect(() => listExecutions(reader, {}, 10, 'drop table')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => listExecutions(reader, { from: 'yesterday' }, 10)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })
})

describe('offline audit list', () => {
  it('filters by actor, action, resource type and tenant, newest first', () => {
    const rows = allPages((cursor) => listAuditLogs(reader, { actor: 'bob', action: 'UPDATE', resourceType: 'workflows', tenantId: 't0' }, 100, cursor))
    expect(rows).toHaveLength(countAuditLogs(reader, { actor: 'bob', action: 'UPDATE', resourceType: 'workflows', tenantId: 't0' }))
    expect(rows.length).toBe(AUDIT_N / 6)
    expect(new Set(rows.map((r) => `${r.actor} ${r.action} ${r.resourceType} ${r.tenantId}`))).toEqual(new Set(['bob UPDATE workflows t0']))
  })

  it('searches old and new values in full text', () => {
    const rare = allPages((cursor) => listAuditLogs(reader, { text: 'zirconium' }, 10, cursor))
    const rareIds = Array.from({ length: Math.ceil(AUDIT_N / 1250) }, (_, k) => `a${k * 1250}`).reverse()
    expect(rare.map((r) => r.id)).toEqual(rareIds)
    // A word in nearly every row: the same first pages a brute-force scan gives.
    const bruteForce = reader.prepare(
      `SELECT id FROM audit_logs WHERE tenant_id = 't2' AND new_values LIKE '%"growth"%' ORDER BY created_at DESC, rid DESC LIMIT 50`
    )
    const first = listAuditLogs(reader, { text: 'growth', tenantId: 't2' }, 25)
    const second = listAuditLogs(reader, { text: 'growth', tenantId: 't2' }, 25, first.nextCursor)
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(bruteForce.pluck().all())
    expect(countAuditLogs(reader, { text: 'growth' })).toBe(AUDIT_N - rareIds.length)
    expect(getAuditLog(reader, 'a1250').newValues).toEqual({ plan: 'zirconium' })
  })

  it('reads search input as words, never as FTS syntax', () => {
    expect(toFtsQuery('plan: "growth" OR NEAR( gro*')).toBe('"plan" "growth" "OR" "NEAR" "gro"*')
    expect(toFtsQuery('  ** ')).toBeNull()
    // Underscores split a word as the tokenizer does; the search keeps no positions, so each part is asked for.
    expect(toFtsQuery('client_secret_enc* _ id_')).toBe('"client" "secret" "enc"* "id"')
    expect(toTsQuery('Client_Secret_enc* _ id_')).toBe('client & secret & enc:* & id')
    expect(countAuditLogs(reader, { text: 'plan_growth' })).toBe(countAuditLogs(reader, { text: 'plan growth' }))
    expect(countAuditLogs(reader, { text: 'plan_growth' })).toBeGreaterThan(0)
    expect(listAuditLogs(reader, { text: '*** ' }, 10).rows).toEqual([])
  })
})
