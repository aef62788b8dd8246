-- Schema version 29: the people list's sights. identity_people holds the first and last sight of each
-- canonical profile, so that the people list reads its pages as a range of (workspace, last sight desc, profile)
-- and never groups the links. The identity stage keeps it with the links it writes (a merge folds the absorbed
-- profile's sights into the survivor's), unmerge recomputes both sides from their links and erasure deletes the row.
CREATE TABLE identity_people (
    canonical_id  TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);
CREATE INDEX identity_people_recent ON identity_people (workspace_id, last_seen_at DESC, canonical_id);
INSERT INTO identity_people (canonical_id, workspace_id, first_seen_at, last_seen_at)
    SELECT p.canonical_id, MIN(p.workspace_id), MIN(l.first_seen_at), MAX(l.last_seen_at)
    FROM identity_links l JOIN identity_profiles p ON p.id = l.profile_id GROUP BY p.canonical_id;
