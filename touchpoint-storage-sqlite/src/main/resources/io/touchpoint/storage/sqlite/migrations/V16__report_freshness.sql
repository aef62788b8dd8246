-- Schema version 16: reports that say when they are stale, and the events log searched by any identifier.
-- Times are epoch milliseconds (UTC); days are YYYY-MM-DD in the workspace's time zone.

-- a counter the attribution stage (and an erasure) raises with every commit that changes a conversion, its credits
-- or a touchpoint; attribution_changes keeps, per workspace and day, the counter of the last commit that changed
-- that day's data. A data-driven run stores the counter it was computed at: a day of its range changed later makes
-- it stale. Runs stored before this version have none (NULL) and count as stale.
ALTER TABLE attribution_cursor ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attribution_model_runs ADD COLUMN data_version INTEGER;
CREATE TABLE attribution_changes (
    workspace_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    version      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, day)
) WITHOUT ROWID;

-- every identifier an events-log entry carried, normalised as identity resolution uses it (an accepted or
-- duplicate entry: its event's identifiers; a refused one: the email it named), so that ?identifier=TYPE:VALUE
-- reads one range of this key, newest first, however large the log; seq is the entry's (event_log.seq).
CREATE TABLE event_log_identifiers (
    workspace_id TEXT NOT NULL,
    type         TEXT NOT NULL,
    value        TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, type, value, received_at, seq)
) WITHOUT ROWID;

-- ingest writes an entry's identifiers beside it, one "type<TAB>value" a line between newlines, an append as cheap
-- as the row's: the index rows above land wherever their values sort, which would cost the one ingest writer as much
-- again as the entry. The log indexer (a processor stage) moves them into event_log_identifiers and clears the column,
-- in one transaction; a search reads the index and the few entries still pending, found by this partial index
ALTER TABLE event_log ADD COLUMN identifiers TEXT;
CREATE INDEX event_log_identifiers_pending ON event_log (seq) WHERE identifiers IS NOT NULL;

-- the entries logged before this version, from their stored events (one pass over the log)
INSERT OR IGNORE INTO event_log_identifiers (workspace_id, type, value, received_at, seq)
SELECT l.workspace_id, lower(json_extract(j.value, '$.type')), json_extract(j.value, '$.value'), l.received_at, l.seq
FROM event_log l JOIN events e ON e.id = l.event_id, json_each(e.body, '$.identifiers') j
WHERE l.workspace_id IS NOT NULL AND json_extract(j.value, '$.value') IS NOT NULL;
INSERT OR IGNORE INTO event_log_identifiers (workspace_id, type, value, received_at, seq)
SELECT workspace_id, 'email', lower(trim(email)), received_at, seq
FROM event_log WHERE event_id IS NULL AND workspace_id IS NOT NULL AND email IS NOT NULL AND trim(email) <> '';
