-- Schema version 18: the audit log, who changed what (docs/ARCHITECTURE.md, storage.jdbc.audit). actor_kind is
-- administrator, token or user; target_kind and target_id name what the action was done to (both null when nothing
-- in particular); detail is a small JSON object that never holds a secret. Entries leave only by age
-- (audit.retention-days). Times are epoch milliseconds (UTC).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             INTEGER NOT NULL,
    actor_kind     TEXT NOT NULL,
    actor_id       TEXT NOT NULL,
    actor_label    TEXT,
    client_address TEXT,
    request_id     TEXT,
    workspace_id   TEXT,
    action         TEXT NOT NULL,
    target_kind    TEXT,
    target_id      TEXT,
    detail         TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, at, id);
CREATE INDEX audit_log_action ON audit_log (action, at, id);
