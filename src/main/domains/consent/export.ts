import type { PoolClient, QueryResultRow } from 'pg'
import type { ProgressEvent } from '../../../shared/events'
import type { ConsentFilter } from '../../../shared/rpc/areas/consent'
import type { ExportStarted } from '../../../shared/rpc/exports'
import { RpcError } from '../../../shared/rpc/errors'
import type { Database } from '../../db/types'
import { exportTimestamp } from '../../exports/names'
import type { ExportJobs } from '../../exports/jobs'
import { consentPages, countConsents } from './server-queries'

export const CONSENT_CSV_HEADER = ['user_id', 'consent_type', 'state', 'since', 'record_id', 'policy_version', 'legal_basis'] as const
const PAGE = 1000

/** The filtered current consents of one tenant as CSV, through the one export path. */
export async function exportConsentCsv(
  db: Database,
  exports: ExportJobs,
  input: { tenantId: string; filter: ConsentFilter; jobId: string },
  emit: (event: ProgressEvent) => void
): Promise<ExportStarted> {
  // Counted (and the tenant checked) before the call returns: a hidden tenant is the call's error.
  const total = await countConsents(db, input.tenantId, input.filter)
  return exports.start(
    {
      jobId: input.jobId,
      label: 'Exporting consents',
      doneLabel: 'Consents exported',
      entries: [
        {
          name: `consents-${exportTimestamp()}.csv`,
          header: CONSENT_CSV_HEADER,
          total,
          async *pages() {
            for await (const rows of consentPages(db, input.tenantId, input.filter, PAGE)) {
              yield rows.map((r) => [r.user_id, r.consent_type, r.granted ? 'granted' : 'revoked', r.since.toISOString(), r.record_id, r.policy_version, r.legal_basis])
            }
          }
        }
      ]
    },
    emit
  )
}

/**
 * The tables of a person's access export: each query reads the rows that are theirs, as JSON, in
 * a stable order; $1 is the tenant and $2 the person's external id (the user_id of their rows) or,
 * where `by` is 'subject', their data subject id. Learnings and embeddings are the ones derived
 * from them (derivation_sources); the local context, which has no person column, the entries
 * that name them.
 */
const ACCESS_TABLES: readonly { file: string; sql: string; by: 'subject' | 'externalId' }[] = [
  { file: 'profile.json', by: 'subject', sql: `select to_jsonb(s) as doc from data_subjects s where s.tenant_id = $1 and s.id = $2` },
  {
    file: 'consent_records.json',
    by: 'externalId',
    sql: `select to_jsonb(c) - 'revokes_grant' as doc from user_consent c where c.tenant_id = $1 and c.user_id = $2 order by c.created_at, c.id`
  },
  {
    file: 'sessions.json',
    by: 'externalId',
    sql: `select to_jsonb(s) - 'consent_record_is_grant' as doc from sessions s where s.tenant_id = $1 and s.user_id = $2 order by s.created_at, s.id`
  },
  {
    file: 'conversations.json',
    by: 'externalId',
    sql: `select to_jsonb(c) - 'sync_xid' as doc from conversations c where c.tenant_id = $1 and c.user_id = $2 order by c.created_at, c.id`
  },
  {
    file: 'local_context.json',
    by: 'externalId',
    sql: `select to_jsonb(l) as doc from local_context l where l.tenant_id = $1 and (strpos(l.context_key, $2) > 0 or strpos(l.context_value::text, $2) > 0) order by l.context_key`
  },
  {
    file: 'learnings.json',
    by: 'subject',
    sql: `select to_jsonb(l) as doc from learnings l where l.tenant_id = $1 and l.id in (select d.derived_id from derivation_sources d where d.tenant_id = $1 and d.subject_id = $2 and d.derived_table = 'learnings') order by l.created_at, l.id`
  },
  {
    file: 'embeddings.json',
    by: 'subject',
    sql: `select to_jsonb(e) as doc from embeddings e where e.tenant_id = $1 and e.id in (select d.derived_id from derivation_sources d where d.tenant_id = $1 and d.subject_id = $2 and d.derived_table = 'embeddings') order by e.created_at, e.id`
  }
]

/** A server-side cursor over `sql`, a page at a time: memory stays flat whatever the person's size. */
async function* cursorPages<T extends QueryResultRow>(client: PoolClient, name: string, sql: string, params: unknown[], size: number): AsyncGenerator<T[]> {
  await client.query(`declare ${name} no scroll cursor for ${sql}`, params)
  try {
    for (;;) {
      const { rows } = await client.query<T>(`fetch forward ${size} from ${name}`)
      if (rows.length === 0) return
      yield rows
      if (rows.length < size) return
    }
  } finally {
    await client.query(`close ${name}`)
  }
}

/**
 * One person's data in one tenant, as a ZIP: one JSON file per table, their consent history as
 * CSV, and the manifest (each file's SHA-256, the generation time) the export path adds. The
 * request must be a verified, open access request; the database records the export in the audit
 * trail in the same transaction that reads the data (app.record_access_export, migration 016), so
 * every file comes from one snapshot and a failed export leaves no record.
 */
export async function exportAccessZip(
  db: Database,
  exports: ExportJobs,
  input: { tenantId: string; requestId: string; jobId: string },
  emit: (event: ProgressEvent) => void
): Promise<ExportStarted> {
  // Checked before the call returns, so a refused request is the call's typed error; the job then
  // reads and records in its own transaction (the check's audit row is rolled back to the savepoint).
  await db.withTenant(input.tenantId, async (client) => {
    await client.query('savepoint access_check')
    const { rows } = await client.query<{ tenant_id: string }>('select tenant_id from app.record_access_export($1)', [input.requestId])
    await client.query('rollback to savepoint access_check')
    // The reads run in the named tenant's context: a request of another tenant would export nothing.
    if (rows[0]?.tenant_id !== input.tenantId) throw new RpcError('NOT_FOUND', 'This tenant has no such request.')
  })
  return exports.start(
    {
      jobId: input.jobId,
      label: 'Exporting the person\u2019s data',
      doneLabel: 'Access export ready',
      entries: [
        {
          kind: 'zip',
          name: `access-export-${exportTimestamp()}.zip`,
          total: null,
          write: (sink) =>
            db.withTenant(input.tenantId, async (client) => {
              const { rows } = await client.query<{ tenant_id: string; subject_id: string; external_id: string }>(
                'select tenant_id, subject_id, external_id from app.record_access_export($1)',
                [input.requestId]
              )
              const person = rows[0]!
              const params = { subject: [person.tenant_id, person.subject_id], externalId: [person.tenant_id, person.external_id] }
              for (const [index, table] of ACCESS_TABLES.entries()) {
                await sink.json(
                  table.file,
                  (async function* () {
                    for await (const page of cursorPages<{ doc: unknown }>(client, `access_${index}`, table.sql, params[table.by], PAGE)) {
                      yield page.map((r) => r.doc)
                    }
                  })()
                )
              }
              await sink.csv(
                'consents.csv',
                ['id', 'consent_type', 'granted', 'at', 'revokes_id', 'policy_version', 'legal_basis', 'source_channel', 'source_agent', 'source_form', 'evidence_hash'],
                (async function* () {
                  for await (const page of cursorPages<Record<string, unknown>>(
                    client,
                    'access_consents',
                    `select id, consent_type, granted, coalesce(revoked_at, granted_at, created_at) as at, revokes_id, policy_version, legal_basis,
                            source_channel, source_agent, source_form, evidence_hash
                       from user_consent where tenant_id = $1 and user_id = $2 order by created_at, id`,
                    [person.tenant_id, person.external_id],
                    PAGE
                  )) {
                    yield page.map((r) => [r.id, r.consent_type, r.granted, r.at instanceof Date ? r.at.toISOString() : r.at, r.revokes_id, r.policy_version, r.legal_basis,
                      r.source_channel, r.source_agent, r.source_form, r.evidence_hash])
                  }
                })()
              )
            })
        }
      ]
    },
    emit
  )
}
