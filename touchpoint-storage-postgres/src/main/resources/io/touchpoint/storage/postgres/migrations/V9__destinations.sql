-- Schema version 9: destinations, the durable outbox of their deliveries and the ledger of every attempt.
-- Times are epoch milliseconds (UTC). JSON columns hold plain maps and lists; sealed_secrets is SecretBox's text.

-- events NULL: every conversion; enabled is 0 or 1
CREATE TABLE destinations (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    type           TEXT NOT NULL,
    name           TEXT NOT NULL,
    settings       TEXT NOT NULL,
    sealed_secrets TEXT,
    events         TEXT,
    event_map      TEXT NOT NULL,
    mode           TEXT NOT NULL,
    model          TEXT NOT NULL,
    base_url       TEXT,
    enabled        INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX destinations_workspace ON destinations (workspace_id, created_at);

-- the delivery stage's cursor: the last events.seq whose outbox entries are committed
CREATE TABLE delivery_cursor (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO delivery_cursor (id, seq) VALUES (1, 0);

-- one row per (destination, event): the event as it is to be sent (the events table's JSON), where it stands and
-- its last answer. Removing a destination takes its rows with it, even rows a concurrent enqueue adds.
CREATE TABLE delivery_outbox (
    id               BIGSERIAL PRIMARY KEY,
    destination_id   TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    workspace_id     TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    event_seq        BIGINT NOT NULL,
    event_time       BIGINT NOT NULL,
    profile_id       TEXT,
    dedup_key        TEXT NOT NULL,
    event_body       TEXT NOT NULL,
    enriched_fields  TEXT NOT NULL,
    status           TEXT NOT NULL,
    skip_reason      TEXT,
    attempts         INTEGER NOT NULL,
    created_at       BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    sent_at          BIGINT,
    last_status_code INTEGER,
    last_response    TEXT,
    UNIQUE (destination_id, event_id)
);
-- partial: senders and the backlog metric read only the open entries, a small part of the table
CREATE INDEX delivery_outbox_due ON delivery_outbox (destination_id, next_attempt_at, id) WHERE status IN ('pending', 'retrying');
CREATE INDEX delivery_outbox_event ON delivery_outbox (workspace_id, event_id);
CREATE INDEX delivery_outbox_recent ON delivery_outbox (destination_id, id);
-- counts per status read the index alone; a status's most recent entries are a range of it
CREATE INDEX delivery_outbox_status ON delivery_outbox (destination_id, status, id);

-- one row per attempt; outcome is the entry's status after it
CREATE TABLE delivery_attempts (
    id              BIGSERIAL PRIMARY KEY,
    outbox_id       BIGINT NOT NULL REFERENCES delivery_outbox (id) ON DELETE CASCADE,
    destination_id  TEXT NOT NULL,
    attempted_at    BIGINT NOT NULL,
    status_code     INTEGER NOT NULL,
    response        TEXT,
    outcome         TEXT NOT NULL,
    reason          TEXT,
    next_attempt_at BIGINT
);
CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id, id);
-- a destination's last failure and last success without reading its whole ledger
CREATE INDEX delivery_attempts_destination ON delivery_attempts (destination_id, outcome, attempted_at);
