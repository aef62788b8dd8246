-- Schema version 7: identity links stored in profile order (WITHOUT ROWID, keyed by profile first), so that
-- one profile's links share a page. An event touches several links of one profile (refreshing last_seen_at),
-- the processor reads whole profiles' links, and each dirtied page is written twice (WAL, then checkpoint):
-- with the rows in insertion order those were one random page per link. The identifier lookup keeps an index
-- of its own; in a WITHOUT ROWID table it carries the primary key, so it answers "which profiles" alone.
CREATE TABLE identity_links_by_profile (
    workspace_id  TEXT NOT NULL,
    type          TEXT NOT NULL,
    value         TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    rule          TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    PRIMARY KEY (profile_id, type, value, workspace_id)
) WITHOUT ROWID;
INSERT INTO identity_links_by_profile (workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at)
    SELECT workspace_id, type, value, profile_id, rule, event_id, first_seen_at, last_seen_at FROM identity_links;
DROP TABLE identity_links;
ALTER TABLE identity_links_by_profile RENAME TO identity_links;
CREATE INDEX identity_links_value ON identity_links (workspace_id, type, value);
