-- Schema version 36: a new link waits in identity_link_search_pending, and the people-search index stage moves the
-- waiting links into the trigram index in large batches: FTS5 writes a segment per transaction, which costs far more
-- per link in the identity stage's small transactions, beside ingest, than in large ones. A search reads both, so it
-- never waits for the stage. Erasing a link takes it out of whichever holds it.
CREATE TABLE identity_link_search_pending (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    value      TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    type       TEXT NOT NULL
);
-- an erased profile's waiting links, found without reading every waiting link
CREATE INDEX identity_link_search_pending_profile ON identity_link_search_pending (profile_id);
DROP TRIGGER identity_link_search_add;
CREATE TRIGGER identity_link_search_add AFTER INSERT ON identity_links WHEN length(new.value) >= 3
BEGIN INSERT INTO identity_link_search_pending (value, profile_id, type) VALUES (new.value, new.profile_id, new.type); END;
-- beside identity_link_search_remove, which takes an indexed link out of the index
CREATE TRIGGER identity_link_search_pending_remove AFTER DELETE ON identity_links WHEN length(old.value) >= 3
BEGIN DELETE FROM identity_link_search_pending WHERE profile_id = old.profile_id AND type = old.type AND value = old.value; END;
