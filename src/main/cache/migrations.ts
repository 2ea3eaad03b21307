/**
 * The cache's own schema, numbered by position (migration N sets user_version = N). Never edit a
 * shipped entry: add one. Times are epoch milliseconds (compact, and range filters stay integer
 * comparisons); JSON values are kept as the server's text; sync_xid is the server's xid8.
 */
export interface CacheMigration {
  name: string
  sql: string
}

const syncedTables = `
CREATE TABLE executions (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  workflow_name TEXT,
  triggered_by_user_id TEXT,
  n8n_execution_id TEXT,
  status TEXT NOT NULL,
  input_data TEXT,
  output_data TEXT,
  error_data TEXT,
  error_message TEXT,
  execution_time_ms INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sync_xid INTEGER NOT NULL
);
CREATE TABLE execution_steps (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  step_index INTEGER NOT NULL,
  step_name TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER,
  completed_at INTEGER,
  input_data TEXT,
  output_data TEXT,
  error_message TEXT,
  created_at INTEGER NOT NULL,
  sync_xid INTEGER NOT NULL
);
CREATE TABLE audit_logs (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  seq INTEGER NOT NULL,
  tenant_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT,
  old_values TEXT,
  new_values TEXT,
  ip_address TEXT,
  user_agent TEXT,
  created_at INTEGER NOT NULL,
  chain_position INTEGER,
  prev_hash TEXT,
  hash TEXT,
  sync_xid INTEGER NOT NULL
);
CREATE TABLE usage_records (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  subscription_id TEXT,
  usage_type TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_price TEXT,
  metadata TEXT,
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  sync_xid INTEGER NOT NULL
);
CREATE TABLE daily_usage_summary (
  tenant_id TEXT NOT NULL,
  usage_type TEXT NOT NULL,
  usage_date TEXT NOT NULL,
  total_quantity INTEGER NOT NULL,
  total_amount TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  first_record INTEGER NOT NULL,
  last_record INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, usage_type, usage_date)
);
-- One row per synced stream and tenant: where the next page starts. last_id NULL means
-- "everything below last_xid is applied", i.e. the stream reached its watermark.
CREATE TABLE sync_cursors (
  table_name TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  last_xid INTEGER NOT NULL,
  last_id TEXT,
  watermark INTEGER NOT NULL,
  synced_at INTEGER NOT NULL,
  PRIMARY KEY (table_name, tenant_id)
);
CREATE TABLE sync_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`

const screenIndexes = `
CREATE INDEX executions_by_time ON executions (started_at, rid);
CREATE INDEX executions_by_tenant ON executions (tenant_id, started_at, rid);
CREATE INDEX executions_by_workflow ON executions (workflow_id, started_at, rid);
CREATE INDEX executions_by_status ON executions (status, started_at, rid);
CREATE INDEX execution_steps_by_execution ON execution_steps (execution_id, step_index);
CREATE INDEX execution_steps_by_tenant ON execution_steps (tenant_id, created_at);
CREATE INDEX audit_by_time ON audit_logs (created_at, rid);
CREATE INDEX audit_by_tenant ON audit_logs (tenant_id, created_at, rid);
CREATE INDEX audit_by_actor ON audit_logs (actor, created_at, rid);
CREATE INDEX audit_by_action ON audit_logs (action, created_at, rid);
CREATE INDEX audit_by_resource_type ON audit_logs (resource_type, created_at, rid);
CREATE INDEX audit_chain ON audit_logs (tenant_id, seq);
CREATE INDEX usage_by_tenant ON usage_records (tenant_id, recorded_at);
`

// External-content FTS5 keyed by an INTEGER PRIMARY KEY alias (rid), which VACUUM never renumbers.
// The text lives once, in the base table; triggers keep the index exact,
// including the 'delete' entries FTS5 needs to forget an old version of a row.
const fullText = `
CREATE VIRTUAL TABLE audit_fts USING fts5(
  action, resource_type, old_values, new_values,
  content = 'audit_logs', content_rowid = 'rid', tokenize = 'unicode61'
);
CREATE TRIGGER audit_fts_insert AFTER INSERT ON audit_logs BEGIN
  INSERT INTO audit_fts (rowid, action, resource_type, old_values, new_values)
  VALUES (new.rid, new.action, new.resource_type, new.old_values, new.new_values);
END;
CREATE TRIGGER audit_fts_delete AFTER DELETE ON audit_logs BEGIN
  INSERT INTO audit_fts (audit_fts, rowid, action, resource_type, old_values, new_values)
  VALUES ('delete', old.rid, old.action, old.resource_type, old.old_values, old.new_values);
END;
CREATE TRIGGER audit_fts_update AFTER UPDATE OF action, resource_type, old_values, new_values ON audit_logs BEGIN
  INSERT INTO audit_fts (audit_fts, rowid, action, resource_type, old_values, new_values)
  VALUES ('delete', old.rid, old.action, old.resource_type, old.old_values, old.new_values);
  INSERT INTO audit_fts (rowid, action, resource_type, old_values, new_values)
  VALUES (new.rid, new.action, new.resource_type, new.old_values, new.new_values);
END;

CREATE VIRTUAL TABLE execution_errors_fts USING fts5(
  error_message, content = 'executions', content_rowid = 'rid', tokenize = 'unicode61'
);
CREATE TRIGGER execution_errors_fts_insert AFTER INSERT ON executions BEGIN
  INSERT INTO execution_errors_fts (rowid, error_message) VALUES (new.rid, new.error_message);
END;
CREATE TRIGGER execution_errors_fts_delete AFTER DELETE ON executions BEGIN
  INSERT INTO execution_errors_fts (execution_errors_fts, rowid, error_message) VALUES ('delete', old.rid, old.error_message);
END;
CREATE TRIGGER execution_errors_fts_update AFTER UPDATE OF error_message ON executions BEGIN
  INSERT INTO execution_errors_fts (execution_errors_fts, rowid, error_message) VALUES ('delete', old.rid, old.error_message);
  INSERT INTO execution_errors_fts (rowid, error_message) VALUES (new.rid, new.error_message);
END;
-- Rows cached before this version are indexed too.
INSERT INTO audit_fts (audit_fts) VALUES ('rebuild');
INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('rebuild');
`

// An UPDATE OF trigger fires whenever its column is in the SET list, and the sync's upsert lists
// every column: a changed status rewrote the error's search entry too. Now the search entries are
// rewritten only when their text changed (issue 14: incremental sync cost).
const fullTextOnChange = `
DROP TRIGGER audit_fts_update;
CREATE TRIGGER audit_fts_update AFTER UPDATE OF action, resource_type, old_values, new_values ON audit_logs
WHEN old.action IS NOT new.action OR old.resource_type IS NOT new.resource_type
  OR old.old_values IS NOT new.old_values OR old.new_values IS NOT new.new_values
BEGIN
  INSERT INTO audit_fts (audit_fts, rowid, action, resource_type, old_values, new_values)
  VALUES ('delete', old.rid, old.action, old.resource_type, old.old_values, old.new_values);
  INSERT INTO audit_fts (rowid, action, resource_type, old_values, new_values)
  VALUES (new.rid, new.action, new.resource_type, new.old_values, new.new_values);
END;
DROP TRIGGER execution_errors_fts_update;
CREATE TRIGGER execution_errors_fts_update AFTER UPDATE OF error_message ON executions
WHEN old.error_message IS NOT new.error_message
BEGIN
  INSERT INTO execution_errors_fts (execution_errors_fts, rowid, error_message) VALUES ('delete', old.rid, old.error_message);
  INSERT INTO execution_errors_fts (rowid, error_message) VALUES (new.rid, new.error_message);
END;
`

// Issue 10. The daily rollup is keyed by currency too (without it, two currencies of one tenant's
// day overwrote each other), with its amount also in exact integer millionths so SQLite sums it
// without a float. Usage records gain their currency: their rows are pulled again. The rest is what
// the usage screens need offline, replaced as a whole at each sync (a few rows per tenant).
const usageAnalytics = `
DROP TABLE daily_usage_summary;
CREATE TABLE daily_usage_summary (
  tenant_id TEXT NOT NULL,
  usage_type TEXT NOT NULL,
  usage_date TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_quantity INTEGER NOT NULL,
  total_amount TEXT NOT NULL,
  amount_micros INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  first_record INTEGER NOT NULL,
  last_record INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, usage_type, usage_date, currency)
) WITHOUT ROWID;
-- Covers the screens' aggregates over a period: they never visit the table itself.
CREATE INDEX daily_usage_by_date ON daily_usage_summary (usage_date, tenant_id, usage_type, currency, total_quantity, amount_micros, record_count);
ALTER TABLE usage_records ADD COLUMN currency TEXT;
DELETE FROM usage_records;
DELETE FROM sync_cursors WHERE table_name IN ('usage_records', 'sync_tombstones/usage_records');
DELETE FROM sync_meta WHERE key = 'shape:usage_records';
CREATE TABLE usage_tenants (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  plan TEXT
);
CREATE TABLE usage_subscriptions (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  status TEXT NOT NULL,
  price_book_id TEXT,
  current_period_start INTEGER,
  current_period_end INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX usage_subscriptions_by_tenant ON usage_subscriptions (tenant_id, current_period_start);
CREATE TABLE usage_price_book (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount TEXT NOT NULL
);
CREATE TABLE usage_unit_prices (
  price_book_id TEXT NOT NULL,
  usage_type TEXT NOT NULL,
  currency TEXT NOT NULL,
  unit_price TEXT NOT NULL,
  PRIMARY KEY (price_book_id, usage_type)
);
CREATE TABLE usage_limits (
  tenant_id TEXT PRIMARY KEY,
  agent_usage_limit INTEGER,
  storage_limit_mb INTEGER
);
CREATE TABLE usage_currencies (
  code TEXT PRIMARY KEY,
  minor_units INTEGER NOT NULL
);
`

const conversations = `
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  session_id TEXT,
  user_id TEXT,
  message TEXT,
  response TEXT,
  agent_name TEXT,
  sentiment TEXT,
  confidence_score TEXT,
  created_at INTEGER NOT NULL,
  sync_xid INTEGER NOT NULL
);
CREATE INDEX conversations_by_session ON conversations (tenant_id, session_id, created_at);
CREATE INDEX conversations_by_user ON conversations (tenant_id, user_id);
`

// Issue 15: offline, the tenants area, the executions and the audit log name their tenants. The
// directory fields of the synced tenants (only those the operator's grants show: finance reads no
// contact), replaced as a whole at each sync and dropped with the tenant's other rows.
const tenantDirectory = `
CREATE TABLE tenant_directory (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT,
  plan TEXT,
  industry TEXT,
  agent_usage_limit INTEGER,
  storage_limit_mb INTEGER
) WITHOUT ROWID;
CREATE INDEX tenant_directory_by_name ON tenant_directory (name COLLATE NOCASE, id);
`

/**
 * Migration 026's summaries of the rollup, rebuilt from it: the cache replaces its rollup rows
 * whole at a sync (no deltas to apply), so it rebuilds these in the same transaction. Weeks start
 * on Monday (ISO), months on the 1st; src/main/domains/usage/cover.ts says which blocks a period reads.
 */
export const REBUILD_USAGE_SUMMARIES = `
DELETE FROM usage_blocks;
INSERT INTO usage_blocks (span, starts, tenant_id, usage_type, currency, total_quantity, amount_micros)
SELECT 'week', date(usage_date, '-6 days', 'weekday 1'), tenant_id, usage_type, currency, sum(total_quantity), sum(amount_micros)
  FROM daily_usage_summary GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'month', strftime('%Y-%m-01', usage_date), tenant_id, usage_type, currency, sum(total_quantity), sum(amount_micros)
  FROM daily_usage_summary GROUP BY 2, 3, 4, 5;
DELETE FROM usage_platform_days;
INSERT INTO usage_platform_days (usage_date, usage_type, currency, total_quantity, amount_micros)
SELECT usage_date, usage_type, currency, sum(total_quantity), sum(amount_micros) FROM daily_usage_summary GROUP BY 1, 2, 3;
`

// Issue 10: the usage overview reads a period's whole weeks and months, and the platform's days,
// from summaries instead of summing every rollup row of the period (the server's migration 026).
const usageSummaries = `
CREATE TABLE usage_blocks (
  span TEXT NOT NULL CHECK (span IN ('week', 'month')),
  starts TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  usage_type TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_quantity INTEGER NOT NULL,
  amount_micros INTEGER NOT NULL,
  PRIMARY KEY (span, starts, tenant_id, usage_type, currency)
) WITHOUT ROWID;
CREATE TABLE usage_platform_days (
  usage_date TEXT NOT NULL,
  usage_type TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_quantity INTEGER NOT NULL,
  amount_micros INTEGER NOT NULL,
  PRIMARY KEY (usage_date, usage_type, currency)
) WITHOUT ROWID;
${REBUILD_USAGE_SUMMARIES}`

// Issue 14: nothing ranks search results (lists are newest first), so the per-row token counts
// FTS5 keeps for ranking (its docsize table) were written for nothing: building the audit search
// over a million rows took 6.7 s with them, 6.1 s without. The triggers name the tables and keep
// working once they exist again; rows cached before are indexed by the rebuild.
const searchWithoutSizes = `
DROP TABLE audit_fts;
CREATE VIRTUAL TABLE audit_fts USING fts5(
  action, resource_type, old_values, new_values,
  content = 'audit_logs', content_rowid = 'rid', tokenize = 'unicode61', columnsize = 0
);
INSERT INTO audit_fts (audit_fts) VALUES ('rebuild');
DROP TABLE execution_errors_fts;
CREATE VIRTUAL TABLE execution_errors_fts USING fts5(
  error_message, content = 'executions', content_rowid = 'rid', tokenize = 'unicode61', columnsize = 0
);
INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('rebuild');
`

/**
 * Letters to JavaScript's \p{L} (reads/search-terms.ts splits words with it) that SQLite's
 * unicode61 tables, from Unicode 6.1, still call marks and so split words at: New Tai Lue vowel
 * signs and tone marks, and the Vedic ardhavisarga. A search word holding one would reach FTS5 as
 * two tokens, a phrase, which an index without positions refuses.
 */
const MARKS_NOW_LETTERS = String.fromCodePoint(...Array.from({ length: 17 }, (_, i) => 0x19b0 + i), 0x19c8, 0x19c9, 0x1cf2, 0x1cf3)
const SEARCH_TOKENIZER = `unicode61 tokenchars '${MARKS_NOW_LETTERS}'`

// Issue 14: search indexes without token positions (detail = none). Lists are filtered by words,
// never ranked, highlighted or searched for phrases: a word joined by underscores asks for each
// of its parts (reads/search-terms.ts, the server alike), so no query needs positions. Without
// them, building the audit search over a million bench rows took 5.9-6.1 s instead of
// 10.6-12.4 s within an initial sync, and the index holds 42 MiB instead of 228 MiB. Of the 142
// underscore-joined keys in those rows' values, 140 find the same rows either way; the other two
// find 3 % and 13 % more. The tokenizer splits words where searchTerms does, so a search word is
// always one token. The triggers name the tables and keep working once they exist again.
const searchWithoutPositions = `
DROP TABLE audit_fts;
CREATE VIRTUAL TABLE audit_fts USING fts5(
  action, resource_type, old_values, new_values,
  content = 'audit_logs', content_rowid = 'rid', tokenize = "${SEARCH_TOKENIZER}", columnsize = 0, detail = none
);
INSERT INTO audit_fts (audit_fts) VALUES ('rebuild');
DROP TABLE execution_errors_fts;
CREATE VIRTUAL TABLE execution_errors_fts USING fts5(
  error_message, content = 'executions', content_rowid = 'rid', tokenize = "${SEARCH_TOKENIZER}", columnsize = 0, detail = none
);
INSERT INTO execution_errors_fts (execution_errors_fts) VALUES ('rebuild');
`

export const CACHE_MIGRATIONS: readonly CacheMigration[] = [
  { name: 'synced tables and sync state', sql: syncedTables },
  { name: 'indexes for the screens', sql: screenIndexes },
  { name: 'full-text search over audit values and execution errors', sql: fullText },
  { name: 'search entries rewritten only when their text changed', sql: fullTextOnChange },
  { name: 'usage analytics: rollups per currency, billing data', sql: usageAnalytics },
  { name: 'conversations (erasures reach them through tombstones)', sql: conversations },
  { name: 'tenant directory fields (names, status, plan, limits) for offline review', sql: tenantDirectory },
  { name: 'usage summaries by week, month and platform day, for the overview', sql: usageSummaries },
  { name: 'search indexes without per-row sizes (nothing ranks)', sql: searchWithoutSizes },
  { name: 'search indexes without token positions (words, no phrases)', sql: searchWithoutPositions }
]
