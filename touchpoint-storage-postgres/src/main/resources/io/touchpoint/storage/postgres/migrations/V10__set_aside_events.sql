-- Schema version 10: events a processor stage set aside after failing on them alone a few times (stage is
-- identity, attribution or delivery), so the stage moved on; an administrator's retry that succeeds removes the row.
-- Times are epoch milliseconds (UTC).
CREATE TABLE set_aside_events (
    event_id     TEXT NOT NULL,
    stage        TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    error        TEXT NOT NULL,
    set_aside_at BIGINT NOT NULL,
    tries        INTEGER NOT NULL,
    PRIMARY KEY (event_id, stage)
);
CREATE INDEX set_aside_events_workspace ON set_aside_events (workspace_id, set_aside_at);
CREATE INDEX set_aside_events_stage ON set_aside_events (stage);
