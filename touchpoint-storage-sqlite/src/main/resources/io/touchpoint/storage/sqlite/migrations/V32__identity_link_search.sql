-- Schema version 32: the people search's trigram index. identity_link_search holds a row per identity link whose
-- value has at least 3 characters (shorter values hold no trigram), so that a search finds the links containing
-- its text along the trigrams (case-insensitive) rather than reading every link. Contentless: the values stay in
-- identity_links; only the link's profile and type are kept beside the index, to delete a link's row. Triggers keep it
-- with identity_links: the identity stage adds links, erasure deletes them.
CREATE VIRTUAL TABLE identity_link_search USING fts5(value, profile_id UNINDEXED, type UNINDEXED, content = '',
    contentless_delete = 1, contentless_unindexed = 1, tokenize = 'trigram case_sensitive 0');
CREATE TRIGGER identity_link_search_add AFTER INSERT ON identity_links WHEN length(new.value) >= 3
BEGIN INSERT INTO identity_link_search (value, profile_id, type) VALUES (new.value, new.profile_id, new.type); END;
CREATE TRIGGER identity_link_search_remove AFTER DELETE ON identity_links WHEN length(old.value) >= 3
BEGIN DELETE FROM identity_link_search WHERE identity_link_search MATCH '"' || replace(old.value, '"', '""') || '"'
    AND profile_id = old.profile_id AND type = old.type; END;
INSERT INTO identity_link_search (value, profile_id, type)
    SELECT value, profile_id, type FROM identity_links WHERE length(value) >= 3;
-- the fill left many segments, each searched per trigram: merged into one, a search reads a few pages
INSERT INTO identity_link_search (identity_link_search) VALUES ('optimize');
