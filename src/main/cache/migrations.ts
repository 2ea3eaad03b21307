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

export const CACHE_MIGRATIONS: readonly CacheMigration[] = [
  { name: 'synced tables and sync state', sql: syncedTables },
  { name: 'indexes for the screens', sql: screenIndexes },
  { name: 'full-text search over audit values and execution errors', sql: fullText },
  { name: 'conversations (erasures reach them through tombstones)', sql: conversations }
]
