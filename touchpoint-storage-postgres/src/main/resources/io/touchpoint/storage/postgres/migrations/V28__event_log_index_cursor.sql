-- Schema version 28: the log indexer follows the events log behind a cursor, the seq of the last entry whose
-- identifiers it has copied into event_log_identifiers; an entry is pending while its seq is above it. So the
-- indexer leaves each entry as ingest wrote it (clearing its identifiers would write the entry again, and on PostgreSQL
-- all its indexes, as an index naming that column makes every such update a new row version), and ingest keeps no
-- index of the pending entries.
CREATE TABLE event_log_index_cursor (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
-- just before the oldest entry still pending: every entry below it has been copied
INSERT INTO event_log_index_cursor (id, seq)
SELECT 1, COALESCE((SELECT MIN(seq) - 1 FROM event_log WHERE identifiers IS NOT NULL), (SELECT MAX(seq) FROM event_log), 0);
DROP INDEX event_log_identifiers_pending;
