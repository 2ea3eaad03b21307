import type { PoolClient } from 'pg'
import { RpcError } from '../../../shared/rpc/errors'
import type {
  ConsentCoverage,
  ConsentFilter,
  ConsentPage,
  ConsentRecord,
  ErasureReceipt,
  IdentityKind,
  ImpactRow,
  ImpactTotals,
  RequestStatus,
  RequestTarget,
  SubjectMatch,
  SubjectRequest
} from '../../../shared/rpc/areas/consent'
import type { Database } from '../../db/types'
import { toConsentRecord, toCurrentConsent, toReceipt, toRequest, type ConsentRecordRow, type CurrentConsentRow, type ReceiptRow, type RequestRow } from './rows'

/** Days a session counts as active for the coverage figures. */
export const ACTIVE_DAYS = 30
/** Days of grants and revocations the coverage chart shows. */
export const COVERAGE_DAYS = 90

/**
 * Inside withTenant: the tenant row is visible only when the operator may see the tenant, so an
 * unknown and a hidden tenant look the same (no existence oracle).
 */
async function requireVisibleTenant(client: PoolClient, tenantId: string): Promise<void> {
  const { rowCount } = await client.query('select 1 from tenants where id = $1', [tenantId])
  if (!rowCount) throw new RpcError('NOT_FOUND', 'No such tenant, or it is not assigned to you.')
}

/** The WHERE clause of a consent filter over consent_current (alias c); $1 is the tenant. */
export function consentWhere(filter: ConsentFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = []
  const conditions = ['c.tenant_id = $1']
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value)
    conditions.push(sql(`$${params.length + 1}`))
  }
  if (filter.consentType !== null) add((p) => `c.consent_type = ${p}`, filter.consentType)
  if (filter.state !== null) add((p) => `c.granted = ${p}`, filter.state === 'granted')
  if (filter.from !== null) add((p) => `c.since >= ${p}::date`, filter.from)
  if (filter.to !== null) add((p) => `c.since < ${p}::date + 1`, filter.to)
  if (filter.userId !== '') add((p) => `c.user_id ilike ${p}`, `%${filter.userId.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)
  return { sql: conditions.join(' and '), params }
}

const CURRENT_SELECT = 'select c.user_id, c.consent_type, c.granted, c.since, c.record_id, c.policy_version, c.legal_basis from consent_current c'

export async function listConsents(db: Database, tenantId: string, filter: ConsentFilter, page: { offset: number; limit: number }): Promise<ConsentPage> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const where = consentWhere(filter)
    const { rows } = await client.query<CurrentConsentRow>(
      `${CURRENT_SELECT} where ${where.sql} order by c.user_id, c.consent_type offset $${where.params.length + 2} limit $${where.params.length + 3}`,
      [tenantId, ...where.params, page.offset, page.limit]
    )
    const total = await client.query<{ n: string }>(`select count(*) as n from consent_current c where ${where.sql}`, [tenantId, ...where.params])
    const types = await client.query<{ t: string }>('select distinct consent_type as t from user_consent where tenant_id = $1 order by 1', [tenantId])
    return { rows: rows.map(toCurrentConsent), total: Number(total.rows[0]!.n), offset: page.offset, types: types.rows.map((r) => r.t) }
  })
}

/** Every current consent of the filter, a page at a time, in one transaction (the CSV export). */
export async function* consentPages(db: Database, tenantId: string, filter: ConsentFilter, pageSize: number): AsyncGenerator<CurrentConsentRow[]> {
  let after: [string, string] | null = null
  for (;;) {
    const where = consentWhere(filter)
    const keyset: string = after ? ` and (c.user_id, c.consent_type) > ($${where.params.length + 3}, $${where.params.length + 4})` : ''
    const cursor: [string, string] | null = after
    const rows: CurrentConsentRow[] = await db.withTenant(tenantId, async (client) => {
      const result = await client.query<CurrentConsentRow>(`${CURRENT_SELECT} where ${where.sql}${keyset} order by c.user_id, c.consent_type limit $${where.params.length + 2}`, [
        tenantId,
        ...where.params,
        pageSize,
        ...(cursor ?? [])
      ])
      return result.rows
    })
    if (rows.length === 0) return
    yield rows
    const last: CurrentConsentRow = rows[rows.length - 1]!
    after = [last.user_id, last.consent_type]
    if (rows.length < pageSize) return
  }
}

export async function countConsents(db: Database, tenantId: string, filter: ConsentFilter): Promise<number> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const where = consentWhere(filter)
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from consent_current c where ${where.sql}`, [tenantId, ...where.params])
    return Number(rows[0]!.n)
  })
}

export const RECORD_SELECT = `select c.id, c.consent_type, c.granted, coalesce(c.revoked_at, c.granted_at, c.created_at) as at, c.revokes_id,
  c.policy_version, c.legal_basis, c.source_channel, c.source_agent, c.source_form, c.evidence_hash is not null as has_evidence, c.created_by
  from user_consent c`

export async function consentHistory(db: Database, tenantId: string, userId: string): Promise<{ records: ConsentRecord[] }> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const { rows } = await client.query<ConsentRecordRow>(`${RECORD_SELECT} where c.tenant_id = $1 and c.user_id = $2 order by at, c.created_at, c.id`, [tenantId, userId])
    return { records: rows.map(toConsentRecord) }
  })
}

export async function consentCoverage(db: Database, tenantId: string): Promise<ConsentCoverage> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const active = await client.query<{ n: string }>(
      `select count(distinct s.user_id) as n from sessions s where s.tenant_id = $1 and s.user_id is not null and s.last_activity >= now() - make_interval(days => $2)`,
      [tenantId, ACTIVE_DAYS]
    )
    const activeUsers = Number(active.rows[0]!.n)
    // The share is over the active people: the consent of someone who left long ago is not coverage.
    const types = await client.query<{ consent_type: string; granted: string }>(
      `with active as (select distinct s.user_id from sessions s where s.tenant_id = $1 and s.last_activity >= now() - make_interval(days => $2))
       select t.consent_type, count(a.user_id) filter (where c.granted) as granted
         from (select distinct consent_type from user_consent where tenant_id = $1) t
         left join consent_current c on c.tenant_id = $1 and c.consent_type = t.consent_type
         left join active a on a.user_id = c.user_id
        group by t.consent_type order by t.consent_type`,
      [tenantId, ACTIVE_DAYS]
    )
    const overTime = await client.query<{ day: string; grants: string; revocations: string }>(
      `select to_char(d.day, 'YYYY-MM-DD') as day,
              count(c.id) filter (where c.granted) as grants, count(c.id) filter (where not c.granted) as revocations
         from generate_series((now() at time zone 'UTC')::date - ($2::int - 1), (now() at time zone 'UTC')::date, interval '1 day') d(day)
         left join user_consent c on c.tenant_id = $1 and (c.created_at at time zone 'UTC')::date = d.day
        group by d.day order by d.day`,
      [tenantId, COVERAGE_DAYS]
    )
    return {
      activeUsers,
      activeDays: ACTIVE_DAYS,
      types: types.rows.map((r) => ({ consentType: r.consent_type, granted: Number(r.granted), share: activeUsers === 0 ? null : Number(r.granted) / activeUsers })),
      overTime: overTime.rows.map((r) => ({ day: r.day, grants: Number(r.grants), revocations: Number(r.revocations) })),
      days: COVERAGE_DAYS
    }
  })
}

export async function lookupSubject(db: Database, kind: IdentityKind, identity: string): Promise<{ matches: SubjectMatch[] }> {
  const { rows } = await db.withPlatform((client) =>
    client.query<{ subject_id: string; tenant_id: string; tenant_name: string; external_id: string; email: string | null; phone: string | null }>(
      'select subject_id, tenant_id, tenant_name, external_id, email, phone from app.lookup_subject($1, $2)',
      [kind, identity]
    )
  )
  return {
    matches: rows.map((r) => ({ subjectId: r.subject_id, tenantId: r.tenant_id, tenantName: r.tenant_name, externalId: r.external_id, email: r.email, phone: r.phone }))
  }
}

export const REQUEST_SELECT = `select d.*, s.external_id, now() as now from data_subject_requests d
  left join data_subjects s on s.tenant_id = d.tenant_id and s.id = d.subject_id`

export async function listRequests(db: Database, tenantId: string, status: RequestStatus | null, limit: number): Promise<{ requests: SubjectRequest[] }> {
  return db.withTenant(tenantId, async (client) => {
    await requireVisibleTenant(client, tenantId)
    const { rows } = await client.query<RequestRow>(
      `${REQUEST_SELECT} where d.tenant_id = $1 and ($2::text is null or d.status = $2)
        order by (d.status in ('fulfilled', 'denied')), d.due_at, d.id limit $3`,
      [tenantId, status, limit]
    )
    return { requests: rows.map(toRequest) }
  })
}

/** The request as the operator now sees it, after a change made by a definer function. */
async function reread(client: PoolClient, id: string): Promise<SubjectRequest> {
  const { rows } = await client.query<RequestRow>(`${REQUEST_SELECT} where d.id = $1`, [id])
  if (!rows[0]) throw new RpcError('NOT_FOUND', 'The request does not exist.')
  return toRequest(rows[0])
}

/**
 * A state-machine function of migrations/013 (they find the request by id across the visible
 * tenants), then the changed row read back in its tenant's context, all in one transaction.
 */
async function changeRequest(db: Database, sql: string, params: unknown[]): Promise<SubjectRequest> {
  return db.withPlatform(async (client) => {
    const { rows } = await client.query<{ id: string; tenant_id: string }>(sql, params)
    const changed = rows[0]!
    await client.query(`select set_config('app.current_tenant_id', $1, true)`, [changed.tenant_id])
    return reread(client, changed.id)
  })
}

export const createRequest = (db: Database, input: { tenantId: string; subjectId: string; requestType: string; regulation: string }) =>
  changeRequest(db, 'select id, tenant_id from app.create_subject_request($1, $2, $3, $4)', [input.tenantId, input.subjectId, input.requestType, input.regulation])

export const advanceRequest = (db: Database, input: { requestId: string; version: number; to: RequestTarget; reason: string | null }) =>
  changeRequest(db, 'select id, tenant_id from app.advance_subject_request($1, $2, $3, $4)', [input.requestId, input.version, input.to, input.reason])

export const extendRequest = (db: Database, input: { requestId: string; version: number; reason: string }) =>
  changeRequest(db, 'select id, tenant_id from app.extend_subject_request($1, $2, $3)', [input.requestId, input.version, input.reason])

export const assignRequest = (db: Database, input: { requestId: string; version: number; assignee: string | null }) =>
  changeRequest(db, 'select id, tenant_id from app.assign_subject_request($1, $2, $3)', [input.requestId, input.version, input.assignee])

export async function approveErasure(db: Database, input: { requestId: string; version: number }): Promise<ErasureReceipt> {
  const { rows } = await db.withPlatform((client) =>
    client.query<ReceiptRow>('select id, request_id, requested_by, approved_by, erased_at, removed, pseudonymized from app.approve_erasure($1, $2)', [
      input.requestId,
      input.version
    ])
  )
  return toReceipt(rows[0]!)
}

export async function consentImpact(db: Database): Promise<{ rows: ImpactRow[]; totals: ImpactTotals[] }> {
  return db.withPlatform(async (client) => {
    const rows = await client.query<{ tenant_id: string; derived_table: ImpactRow['derivedTable']; derived_id: string; reason: ImpactRow['reason']; quarantined: boolean }>(
      'select tenant_id, derived_table, derived_id, reason, quarantined from app.consent_impact() order by tenant_id, derived_table, derived_id'
    )
    const totals = await client.query<{ tenant_id: string | null; revoked: string; erased: string; quarantined: string; total: string }>(
      'select tenant_id, revoked, erased, quarantined, total from app.consent_impact_totals()'
    )
    return {
      rows: rows.rows.map((r) => ({ tenantId: r.tenant_id, derivedTable: r.derived_table, derivedId: r.derived_id, reason: r.reason, quarantined: r.quarantined })),
      totals: totals.rows.map((r) => ({
        tenantId: r.tenant_id,
        revoked: Number(r.revoked),
        erased: Number(r.erased),
        quarantined: Number(r.quarantined),
        total: Number(r.total)
      }))
    }
  })
}

export async function resolveImpact(db: Database, input: { action: string; derivedTable: string; derivedId: string; reason: string }): Promise<{ ok: true }> {
  await db.withPlatform((client) => client.query('select app.resolve_consent_impact($1, $2, $3, $4)', [input.action, input.derivedTable, input.derivedId, input.reason]))
  return { ok: true }
}
