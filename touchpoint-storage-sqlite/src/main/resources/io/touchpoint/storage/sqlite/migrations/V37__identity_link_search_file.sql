-- Schema version 37: the people search's trigram index moves to a file of its own beside this one (touchpoint.db-search),
-- written by the people-search index stage on a connection of its own, so that its writes take neither this file's
-- write lock nor its WAL, which ingest's commits wait on. This file keeps what the index file is built from: the
-- links waiting to be indexed (identity_link_search_pending), the erased links waiting to be taken out of it
-- (identity_link_search_removals), and which index file belongs to it (identity_link_search_state). The stage builds
-- the index file again whenever the two do not match: the first start after this upgrade, a restored backup, a lost
-- file.
DROP TRIGGER identity_link_search_remove;
DROP TABLE identity_link_search;
-- FTS5 leaves the table of a contentless table's unindexed values behind when it drops the table
DROP TABLE IF EXISTS identity_link_search_content;
CREATE TABLE identity_link_search_removals (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    value      TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    type       TEXT NOT NULL
);
-- beside identity_link_search_pending_remove, which takes a link still waiting out of the queue
CREATE TRIGGER identity_link_search_remove AFTER DELETE ON identity_links WHEN length(old.value) >= 3
BEGIN INSERT INTO identity_link_search_removals (value, profile_id, type) VALUES (old.value, old.profile_id, old.type); END;
-- generation: the index file built for this database carries the same; queued_from: every link was queued again
-- after this id (the index file then started empty); pruned_through: the waiting links up to this id were indexed
-- there and have left the queue
CREATE TABLE identity_link_search_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    generation     TEXT NOT NULL,
    queued_from    INTEGER NOT NULL,
    pruned_through INTEGER NOT NULL
);
-- every link waits for the new index file (a search reads the waiting links until the stage has indexed them)
INSERT INTO identity_link_search_state (id, generation, queued_from, pruned_through)
    SELECT 1, lower(hex(randomblob(16))), COALESCE(MAX(seq), 0), COALESCE(MAX(seq), 0) FROM sqlite_sequence
    WHERE name = 'identity_link_search_pending';
DELETE FROM identity_link_search_pending;
INSERT INTO identity_link_search_pending (value, profile_id, type)
    SELECT value, profile_id, type FROM identity_links WHERE length(value) >= 3;
