-- Schema version 15: reports that say when they are stale, and the events log searched by any identifier.
-- Times are epoch milliseconds (UTC); days are YYYY-MM-DD in the workspace's time zone.

-- a counter the attribution stage (and an erasure) raises with every commit that changes a conversion, its credits
-- or a touchpoint; attribution_changes keeps, per workspace and day, the counter of the last commit that changed
-- that day's data. A data-driven run stores the counter it was computed at: a day of its range changed later makes
-- it stale. Runs stored before this version have none (NULL) and count as stale.
ALTER TABLE attribution_cursor ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attribution_model_runs ADD COLUMN data_version BIGINT;
CREATE TABLE attribution_changes (
    workspace_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    version      BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day)
);

-- every identifier an events-log entry carried, normalised as identity resolution uses it (an accepted or
-- duplicate entry: its event's identifiers; a refused one: the email it named), so that ?identifier=TYPE:VALUE
-- reads one range of this key, newest first, however large the log; seq is the entry's (event_log.seq).
CREATE TABLE event_log_identifiers (
    workspace_id TEXT NOT NULL,
    type         TEXT NOT NULL,
    value        TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    seq          BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, type, value, received_at, seq)
);

-- ingest writes an entry's identifiers beside it, one "type<TAB>value" a line between newlines, an append as cheap
-- as the row's: the index rows above land wherever their values sort, which would cost the one ingest writer as much
-- again as the entry. The log indexer (a processor stage) moves them into event_log_identifiers and clears the column,
-- in one transaction; a search reads the index and the few entries still pending, found by this partial index
ALTER TABLE event_log ADD COLUMN identifiers TEXT;
CREATE INDEX event_log_identifiers_pending ON event_log (seq) WHERE identifiers IS NOT NULL;

-- the entries logged before this version, from their stored events (one pass over the log). PostgreSQL cannot read
-- a JSON string holding \u0000 or half a surrogate pair (stored before ingest refused them in identifiers): such an
-- escape is made literal text (its backslash doubled) before the body is read, and a value whose JSON text then has
-- a \u is left out, as ingest leaves out a value no store can hold
INSERT INTO event_log_identifiers (workspace_id, type, value, received_at, seq)
SELECT workspace_id, type, value, received_at, seq FROM (
    SELECT l.workspace_id, lower(j ->> 'type') AS type,
           CASE WHEN strpos((j -> 'value')::text, '\u') = 0 THEN j ->> 'value' END AS value,
           l.received_at, l.seq
    FROM event_log l JOIN events e ON e.id = l.event_id
    CROSS JOIN LATERAL json_array_elements((CASE WHEN strpos(e.body, '\u') = 0 THEN e.body
        ELSE regexp_replace(e.body, '\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\\&', 'g') END)::json -> 'identifiers') j
    WHERE l.workspace_id IS NOT NULL
) carried
WHERE value IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO event_log_identifiers (workspace_id, type, value, received_at, seq)
SELECT workspace_id, 'email', lower(trim(email)), received_at, seq
FROM event_log WHERE event_id IS NULL AND workspace_id IS NOT NULL AND email IS NOT NULL AND trim(email) <> ''
ON CONFLICT DO NOTHING;
