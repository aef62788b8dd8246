-- Schema version 35: an erased link's trigrams leave the people search's index at once. A contentless_delete table
-- only marks a deleted row (its trigrams stay in the index's segments until a merge rewrites them): FTS5 does not
-- know the row's terms then, and such a table refuses the 'delete' command that would name them. So the index is
-- made again as a contentless table with FTS5's secure-delete option on, and the trigger deletes a link's row with
-- the 'delete' command, given the value: its entries are removed from the segments (a term no other row holds
-- included), and PRAGMA secure_delete zeroes the bytes freed. The command trusts the value it is given, so the row
-- must be the link's own: the value's phrase, profile, type and length (kept beside the index) single it out (values
-- equal but for case have the same trigrams, so either row serves). Made again, it drops earlier erasures' pieces.
DROP TRIGGER identity_link_search_add;
DROP TRIGGER identity_link_search_remove;
DROP TABLE identity_link_search;
-- FTS5 leaves the table of a contentless table's unindexed values behind when it drops the table
DROP TABLE IF EXISTS identity_link_search_content;
CREATE VIRTUAL TABLE identity_link_search USING fts5(value, profile_id UNINDEXED, type UNINDEXED, value_length UNINDEXED,
    content = '', contentless_unindexed = 1, tokenize = 'trigram case_sensitive 0');
INSERT INTO identity_link_search (identity_link_search, rank) VALUES ('secure-delete', 1);
CREATE TRIGGER identity_link_search_add AFTER INSERT ON identity_links WHEN length(new.value) >= 3
BEGIN INSERT INTO identity_link_search (value, profile_id, type, value_length)
    VALUES (new.value, new.profile_id, new.type, length(new.value)); END;
CREATE TRIGGER identity_link_search_remove AFTER DELETE ON identity_links WHEN length(old.value) >= 3
BEGIN INSERT INTO identity_link_search (identity_link_search, rowid, value, profile_id, type, value_length)
    SELECT 'delete', rowid, old.value, old.profile_id, old.type, value_length FROM identity_link_search
    WHERE identity_link_search MATCH '"' || replace(old.value, '"', '""') || '"' AND profile_id = old.profile_id
    AND type = old.type AND value_length = length(old.value) LIMIT 1; END;
INSERT INTO identity_link_search (value, profile_id, type, value_length)
    SELECT value, profile_id, type, length(value) FROM identity_links WHERE length(value) >= 3;
-- the fill left many segments, each searched per trigram: merged into one, a search reads a few pages
INSERT INTO identity_link_search (identity_link_search) VALUES ('optimize');
