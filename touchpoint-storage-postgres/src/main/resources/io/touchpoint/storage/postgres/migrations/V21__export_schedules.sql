-- Schema version 21: scheduled daily exports and the runs claimed for them.
-- Times are epoch milliseconds (UTC); days are YYYY-MM-DD in the workspace's time zone.

-- what (attribution_report with its query string in params, or events_log) goes where (a folder under the export
-- root, or a webhook URL signed with the secret sealed in secret_sealed) at which hour; last_* is the last run's
CREATE TABLE export_schedules (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    name          TEXT NOT NULL,
    what          TEXT NOT NULL,
    params        TEXT NOT NULL,
    folder        TEXT,
    url           TEXT,
    secret_sealed TEXT,
    hour          INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    last_day      TEXT,
    last_run_at   BIGINT,
    last_status   TEXT,
    last_message  TEXT
);
CREATE INDEX export_schedules_workspace ON export_schedules (workspace_id);

-- one row per schedule and day whose scheduled run a process took: the key lets exactly one process take it
CREATE TABLE export_runs (
    schedule_id TEXT NOT NULL,
    day         TEXT NOT NULL,
    claimed_at  BIGINT NOT NULL,
    PRIMARY KEY (schedule_id, day)
);
