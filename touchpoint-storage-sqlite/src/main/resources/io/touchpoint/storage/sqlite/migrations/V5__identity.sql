-- Schema version 5: identity resolution (docs/IDENTITY.md). Times are epoch milliseconds (UTC).
-- A profile merged into another keeps its row: merged_into points at the survivor and canonical_id at the
-- end of that chain, so a merge can be undone and every link stays on the profile it was made for.
CREATE TABLE identity_profiles (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    created_seq  INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    merged_into  TEXT,
    canonical_id TEXT NOT NULL
);
CREATE INDEX identity_profiles_canonical ON identity_profiles (canonical_id);
CREATE INDEX identity_profiles_merged_into ON identity_profiles (merged_into);

-- one row per (identifier, profile it was linked to), with the event and rule that linked it
CREATE TABLE identity_links (
    workspace_id  TEXT NOT NULL,
    type          TEXT NOT NULL,
    value         TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    rule          TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, type, value, profile_id)
);
CREATE INDEX identity_links_profile ON identity_links (profile_id, type);

-- merges made, and merges a guardrail skipped (outcome names why)
CREATE TABLE identity_merges (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    survivor_id  TEXT NOT NULL,
    absorbed_id  TEXT NOT NULL,
    via_type     TEXT NOT NULL,
    via_value    TEXT NOT NULL,
    rule         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    merged_at    INTEGER NOT NULL,
    undone_at    INTEGER
);
CREATE INDEX identity_merges_survivor ON identity_merges (survivor_id);
CREATE INDEX identity_merges_absorbed ON identity_merges (absorbed_id);

-- the profile each event resolved to when it was processed (follow canonical_id for today's answer)
CREATE TABLE identity_event_profiles (
    event_id     TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    profile_id   TEXT NOT NULL
);
CREATE INDEX identity_event_profiles_profile ON identity_event_profiles (profile_id, seq);

-- the processor's cursor: the last events.seq whose results are committed
CREATE TABLE identity_cursor (
    id  INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
);
INSERT INTO identity_cursor (id, seq) VALUES (1, 0);

-- per-workspace guardrails as JSON; a workspace without a row uses the defaults
CREATE TABLE identity_guardrails (
    workspace_id TEXT PRIMARY KEY,
    settings     TEXT NOT NULL
);
