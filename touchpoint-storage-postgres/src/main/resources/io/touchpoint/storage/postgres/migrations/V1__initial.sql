-- Touchpoint on PostgreSQL, schema version 1. Times are epoch milliseconds (UTC), as in the embedded store.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE workspaces (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    pixel_key             TEXT NOT NULL UNIQUE,
    created_at            BIGINT NOT NULL,
    time_zone             TEXT NOT NULL,
    currency              TEXT NOT NULL,
    phone_region          TEXT NOT NULL,
    rate_limit_per_minute INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name         TEXT,
    prefix       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_workspace ON api_tokens (workspace_id);

-- seq is the commit order the processor will follow
CREATE TABLE events (
    seq             BIGSERIAL PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    workspace_id    TEXT NOT NULL,
    source          TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    event_time      BIGINT NOT NULL,
    name            TEXT NOT NULL,
    idempotency_key TEXT,
    body            TEXT NOT NULL
);
CREATE UNIQUE INDEX events_idempotency ON events (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_workspace_time ON events (workspace_id, event_time);

CREATE TABLE event_log (
    seq           BIGSERIAL PRIMARY KEY,
    request_id    TEXT NOT NULL,
    item_index    INTEGER NOT NULL,
    workspace_id  TEXT,
    received_at   BIGINT NOT NULL,
    endpoint      TEXT NOT NULL,
    source        TEXT,
    outcome       TEXT NOT NULL,
    http_status   INTEGER NOT NULL,
    error_code    TEXT,
    error_param   TEXT,
    error_message TEXT,
    event_name    TEXT,
    email         TEXT,
    event_id      TEXT,
    payload       TEXT
);
CREATE INDEX event_log_request ON event_log (request_id, item_index);
CREATE INDEX event_log_workspace ON event_log (workspace_id, seq);
CREATE INDEX event_log_workspace_outcome ON event_log (workspace_id, outcome, seq);
CREATE INDEX event_log_workspace_name ON event_log (workspace_id, event_name, seq);
CREATE INDEX event_log_workspace_email ON event_log (workspace_id, email, seq);
CREATE INDEX event_log_workspace_time ON event_log (workspace_id, received_at);
