import fc from 'fast-check'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeOperator, makeTenants } from '../helpers/db'

/**
 * Issue 10, item 1: the daily usage rollup is folded incrementally and stays exact. Writers are
 * separate connections with transactions left open across folds (late commits), rollbacks,
 * updates that move a record to another day, type or currency, and deletes. After a final fold
 * the rollup equals the raw aggregation per tenant, type, day and currency, and the overview's
 * summaries of it (migration 026: weeks, months, platform days) equal the rollup.
 */

const WRITERS = 3
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03']
const TYPES = ['executions', 'ai_calls', 'storage'] as const
const CURRENCIES = ['EUR', 'USD', 'MXN'] as const
const PRICES = [null, '0.0125', '0.33', '2'] as const

type Step =
  | { op: 'insert'; writer: number; tenant: number; type: number; currency: number; day: number; hour: number; quantity: number; price: number }
  | { op: 'update'; writer: number; pick: number; type: number; currency: number; day: number; hour: number; quantity: number }
  | { op: 'delete'; writer: number; pick: number }
  | { op: 'commit'; writer: number }
  | { op: 'rollback'; writer: number }
  | { op: 'fold' }

const writer = fc.nat({ max: WRITERS - 1 })
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), writer, tenant: fc.nat({ max: 1 }), type: fc.nat({ max: 2 }), currency: fc.nat({ max: 2 }), day: fc.nat({ max: 2 }), hour: fc.nat({ max: 23 }), quantity: fc.nat({ max: 500 }), price: fc.nat({ max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('update' as const), writer, pick: fc.nat(), type: fc.nat({ max: 2 }), currency: fc.nat({ max: 2 }), day: fc.nat({ max: 2 }), hour: fc.nat({ max: 23 }), quantity: fc.nat({ max: 500 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), writer, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('commit' as const), writer }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rollback' as const), writer }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fold' as const) }) }
)

let writers: pg.Client[]
let folder: pg.Client
let admin: pg.Client

beforeAll(async () => {
  admin = await adminClient()
  writers = await Promise.all(Array.from({ length: WRITERS }, () => adminClient()))
  folder = await (await makeOperator(['admin'], [null], 'folder')).client()
})

afterAll(async () => {
  await Promise.all([...(writers ?? []), folder, admin].map((c) => c?.end()))
})

function at(day: number, hour: number): string {
  return `${DAYS[day]}T${String(hour).padStart(2, '0')}:30:00Z`
}

/** Rows of `tenants` where the rollup and the raw records disagree (every column compared). */
async function mismatches(tenants: string[]): Promise<unknown[]> {
  const { rows } = await admin.query(
    `with raw as (
       select tenant_id, usage_type, (recorded_at at time zone 'UTC')::date as usage_date, currency,
              sum(quantity)::bigint as q, sum(quantity * coalesce(unit_price, 0)) as a, count(*) as n, min(recorded_at) as f, max(recorded_at) as l
         from usage_records where tenant_id = any($1) group by 1, 2, 3, 4
     ), rolled as (select * from daily_usage_summary where tenant_id = any($1))
     select coalesce(r.tenant_id, w.tenant_id) as tenant_id, coalesce(r.usage_type, w.usage_type) as usage_type,
            coalesce(r.usage_date, w.usage_date)::text as usage_date, coalesce(r.currency, w.currency) as currency,
            r.total_quantity, w.q, r.total_amount::text as rollup_amount, w.a::text as raw_amount, r.record_count, w.n
       from rolled r full join raw w using (tenant_id, usage_type, usage_date, currency)
      where r.total_quantity is distinct from w.q or r.total_amount is distinct from w.a or r.record_count is distinct from w.n
         or r.first_record is distinct from w.f or r.last_record is distinct from w.l`,
    [tenants]
  )
  return rows
}

/**
 * Migration 026's summaries against the rollup they summarize: the weekly and monthly blocks of
 * `tenants`, and the platform's days of DAYS (every tenant, read in one snapshot), every column.
 */
async function summaryMismatches(tenants: string[]): Promise<unknown[]> {
  const { rows } = await admin.query(
    `with blocks as (
       select s.span, s.starts, d.tenant_id, d.usage_type, d.currency,
              sum(d.total_quantity) as q, sum(d.total_amount) as a, sum(d.record_count) as n
         from daily_usage_summary d
         cross join lateral (values ('week', d.usage_date - (extract(isodow from d.usage_date)::int - 1)),
                                    ('month', date_trunc('month', d.usage_date)::date)) s(span, starts)
        where d.tenant_id = any($1) group by 1, 2, 3, 4, 5
     ), kept as (select * from usage_blocks where tenant_id = any($1)),
     days as (
       select usage_date, usage_type, currency, sum(total_quantity) as q, sum(total_amount) as a, sum(record_count) as n
         from daily_usage_summary where usage_date = any($2::date[]) group by 1, 2, 3
     ), platform as (select * from platform_daily_usage where usage_date = any($2::date[]))
     select 'block' as kind, coalesce(k.span, b.span) as span, coalesce(k.starts, b.starts)::text as starts, k.total_quantity, b.q, k.record_count, b.n
       from kept k full join blocks b using (span, starts, tenant_id, usage_type, currency)
      where k.total_quantity is distinct from b.q or k.total_amount is distinct from b.a or k.record_count is distinct from b.n
     union all
     select 'platform day', null, coalesce(p.usage_date, d.usage_date)::text, p.total_quantity, d.q, p.record_count, d.n
       from platform p full join days d using (usage_date, usage_type, currency)
      where p.total_quantity is distinct from d.q or p.total_amount is distinct from d.a or p.record_count is distinct from d.n`,
    [tenants, DAYS]
  )
  return rows
}

/** Runs one random program against the database and returns its tenants. */
async function run(program: Step[]): Promise<string[]> {
  const tenants = (await makeTenants(2, 'fold')).map((t) => t.id)
  const committed = new Set<string>()
  // Per writer: rows it inserted (uncommitted) and committed rows it changed (locked until its end).
  const own = Array.from({ length: WRITERS }, () => new Set<string>())
  const locked = new Map<string, number>()
  const open = new Array<boolean>(WRITERS).fill(false)

  const begin = async (w: number) => {
    if (!open[w]) {
      await writers[w]!.query('begin')
      open[w] = true
    }
  }
  const end = async (w: number, how: 'commit' | 'rollback') => {
    if (!open[w]) return
    await writers[w]!.query(how)
    open[w] = false
    const deleted = [...locked].filter(([, by]) => by === w).map(([id]) => id)
    for (const id of deleted) locked.delete(id)
    if (how === 'commit') {
      for (const id of own[w]!) committed.add(id)
      // Deleted rows are gone from `committed` only once the delete commits.
      const { rows } = await admin.query<{ id: string }>('select id::text from usage_records where id = any($1)', [deleted])
      const alive = new Set(rows.map((r) => r.id))
      for (const id of deleted) if (!alive.has(id)) committed.delete(id)
    }
    own[w]!.clear()
  }
  // A writer may touch its own rows and committed rows no other open transaction has changed.
  const candidates = (w: number) => [...own[w]!, ...[...committed].filter((id) => !locked.has(id) || locked.get(id) === w)]

  for (const s of program) {
    if (s.op === 'fold') {
      await folder.query('select app.fold_daily_usage()')
    } else if (s.op === 'commit' || s.op === 'rollback') {
      await end(s.writer, s.op)
    } else if (s.op === 'insert') {
      await begin(s.writer)
      const { rows } = await writers[s.writer]!.query<{ id: string }>(
        `insert into usage_records (tenant_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $6, $6) returning id::text`,
        [tenants[s.tenant], TYPES[s.type], s.quantity, PRICES[s.price], CURRENCIES[s.currency], at(s.day, s.hour)]
      )
      own[s.writer]!.add(rows[0]!.id)
    } else {
      const pool = candidates(s.writer)
      if (pool.length === 0) continue
      const id = pool[s.pick % pool.length]!
      await begin(s.writer)
      if (!own[s.writer]!.has(id)) locked.set(id, s.writer)
      if (s.op === 'delete') {
        await writers[s.writer]!.query('delete from usage_records where id = $1', [id])
        own[s.writer]!.delete(id)
      } else {
        await writers[s.writer]!.query(
          `update usage_records set usage_type = $2, currency = $3, quantity = $4, recorded_at = $5, period_start = $5, period_end = $5 where id = $1`,
          [id, TYPES[s.type], CURRENCIES[s.currency], s.quantity, at(s.day, s.hour)]
        )
      }
    }
  }
  for (let w = 0; w < WRITERS; w++) await end(w, w % 2 === 0 ? 'commit' : 'rollback')
  return tenants
}

describe('the usage fold', () => {
  it('equals the raw aggregation after a final fold, whatever the writers did in between (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 60 }), async (program) => {
        const tenants = await run(program)
        await folder.query('select app.fold_daily_usage()')
        expect(await mismatches(tenants)).toEqual([])
        expect(await summaryMismatches(tenants)).toEqual([])
      }),
      { numRuns: 40 }
    )
  })

  it("keeps the overview's summaries equal to the rollup when folds add to, move and empty its rows", async () => {
    const [tenant] = (await makeTenants(1, 'blocks')).map((t) => t.id)
    const fold = async () => {
      await folder.query('select app.fold_daily_usage()')
      expect(await summaryMismatches([tenant!])).toEqual([])
    }
    const insert = (quantity: number, day: number) =>
      admin.query(
        `insert into usage_records (tenant_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
         values ($1, 'ai_calls', $2, 0.5, 'EUR', $3, $3, $3) returning id::text`,
        [tenant, quantity, at(day, 9)]
      )
    const first = (await insert(3, 1)).rows[0]!.id
    await fold()
    await insert(7, 1) // the same rollup row grows: an update of it
    await fold()
    await admin.query('update usage_records set recorded_at = $2, period_start = $2, period_end = $2 where id = $1', [first, at(0, 9)]) // into the week before
    await fold()
    await admin.query('delete from usage_records where tenant_id = $1', [tenant])
    await fold()
    const { rows } = await admin.query('select count(*)::int as n from usage_blocks where tenant_id = $1', [tenant])
    expect(rows[0].n).toBe(0)
  })

  it('leaves a late commit (xid taken before the fold) for the next fold, and reports what it has not folded', async () => {
    const [tenant] = (await makeTenants(1, 'late')).map((t) => t.id)
    const late = writers[0]!
    await late.query('begin')
    await late.query(
      `insert into usage_records (tenant_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
       values ($1, 'ai_calls', 7, 0.5, 'EUR', now(), now(), now())`,
      [tenant]
    )
    const before = await folder.query<{ complete_up_to: Date }>('select complete_up_to from app.daily_usage_freshness()')
    await folder.query('select app.fold_daily_usage()')
    await late.query('commit')
    const freshness = await folder.query<{ complete_up_to: Date; pending_changes: string }>('select * from app.daily_usage_freshness()')
    expect(freshness.rows[0]!.complete_up_to.getTime()).toBeGreaterThan(before.rows[0]!.complete_up_to.getTime())
    expect(Number(freshness.rows[0]!.pending_changes)).toBeGreaterThan(0)
    expect(await mismatches([tenant!])).toHaveLength(1)

    await folder.query('select app.fold_daily_usage()')
    expect(await mismatches([tenant!])).toEqual([])
  })

  it('never adds a change twice when two folds run at once', async () => {
    const [tenant] = (await makeTenants(1, 'twice')).map((t) => t.id)
    const insert = (quantity: number) =>
      admin.query(
        `insert into usage_records (tenant_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
         values ($1, 'executions', $2, 1, 'USD', now(), now(), now())`,
        [tenant, quantity]
      )
    await insert(5)
    const second = await (await makeOperator(['admin'], [null], 'folder')).client()
    try {
      await folder.query('begin')
      await folder.query('select app.fold_daily_usage()')
      await insert(11)
      // Waits for the first fold's transaction; then folds what is left.
      const waiting = second.query('select app.fold_daily_usage()')
      await new Promise((resolve) => setTimeout(resolve, 300))
      await folder.query('commit')
      await waiting
    } finally {
      await second.end()
    }
    expect(await mismatches([tenant!])).toEqual([])
    const { rows } = await admin.query('select total_quantity::int, record_count::int from daily_usage_summary where tenant_id = $1', [tenant])
    expect(rows).toEqual([{ total_quantity: 16, record_count: 2 }])
  })
})
