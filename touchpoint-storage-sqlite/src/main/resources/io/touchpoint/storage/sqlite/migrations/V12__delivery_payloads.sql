-- Schema version 12: an event's enriched body is stored once for all the destinations it goes to. Destinations whose
-- enrichment came out the same (the usual case) share one delivery_payloads row; entries written before this
-- version keep their own copy in event_body. SQLite cannot drop a NOT NULL, so the outbox and its ledger (which
-- refers to it) are rebuilt: the ledger goes first, so dropping the old outbox cascades to nothing.

CREATE TABLE delivery_payloads (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX delivery_payloads_event ON delivery_payloads (workspace_id, event_id);

CREATE TABLE delivery_outbox_v12 (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    destination_id   TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    workspace_id     TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    event_seq        INTEGER NOT NULL,
    event_time       INTEGER NOT NULL,
    profile_id       TEXT,
    dedup_key        TEXT NOT NULL,
    payload_id       INTEGER REFERENCES delivery_payloads (id),
    event_body       TEXT,
    enriched_fields  TEXT NOT NULL,
    status           TEXT NOT NULL,
    skip_reason      TEXT,
    attempts         INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    last_status_code INTEGER,
    last_response    TEXT,
    UNIQUE (destination_id, event_id)
);
INSERT INTO delivery_outbox_v12 (id, destination_id, workspace_id, event_id, event_seq, event_time, profile_id, dedup_key,
        payload_id, event_body, enriched_fields, status, skip_reason, attempts, created_at, next_attempt_at, updated_at,
        sent_at, last_status_code, last_response)
    SELECT id, destination_id, workspace_id, event_id, event_seq, event_time, profile_id, dedup_key, NULL, event_body,
        enriched_fields, status, skip_reason, attempts, created_at, next_attempt_at, updated_at, sent_at,
        last_status_code, last_response FROM delivery_outbox;

CREATE TABLE delivery_attempts_v12 (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id       INTEGER NOT NULL REFERENCES delivery_outbox_v12 (id) ON DELETE CASCADE,
    destination_id  TEXT NOT NULL,
    attempted_at    INTEGER NOT NULL,
    status_code     INTEGER NOT NULL,
    response        TEXT,
    outcome         TEXT NOT NULL,
    reason          TEXT,
    next_attempt_at INTEGER
);
INSERT INTO delivery_attempts_v12 (id, outbox_id, destination_id, attempted_at, status_code, response, outcome, reason,
        next_attempt_at)
    SELECT id, outbox_id, destination_id, attempted_at, status_code, response, outcome, reason, next_attempt_at
    FROM delivery_attempts;

DROP TABLE delivery_attempts;
DROP TABLE delivery_outbox;
ALTER TABLE delivery_outbox_v12 RENAME TO delivery_outbox;
ALTER TABLE delivery_attempts_v12 RENAME TO delivery_attempts;

CREATE INDEX delivery_outbox_due ON delivery_outbox (destination_id, next_attempt_at, id) WHERE status IN ('pending', 'retrying');
CREATE INDEX delivery_outbox_event ON delivery_outbox (workspace_id, event_id);
CREATE INDEX delivery_outbox_recent ON delivery_outbox (destination_id, id);
CREATE INDEX delivery_outbox_status ON delivery_outbox (destination_id, status, id);
-- finds whether a payload is still wanted once an entry goes
CREATE INDEX delivery_outbox_payload ON delivery_outbox (payload_id);
CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id, id);
CREATE INDEX delivery_attempts_destination ON delivery_attempts (destination_id, outcome, attempted_at);
