-- Schema version 6: attribution (docs/ATTRIBUTION.md). Times are epoch milliseconds (UTC); days are YYYY-MM-DD in the
-- workspace's time zone. canonical_id columns follow identity_profiles.canonical_id, kept current by the
-- attribution stage when merges and unmerges change a profile.

-- per-workspace settings as JSON; a workspace without a row uses the defaults. rebuild_after: after a change,
-- the canonical profile id the processor's recomputation of existing conversions has reached ('' = not started)
CREATE TABLE attribution_settings (
    workspace_id  TEXT PRIMARY KEY,
    settings      TEXT NOT NULL,
    rebuild_after TEXT
);

-- the attribution stage's cursors: events (events.seq), merges made (identity_merges.id), merges undone (undone_at)
CREATE TABLE attribution_cursor (
    id        INTEGER PRIMARY KEY,
    seq       INTEGER NOT NULL,
    merge_id  INTEGER NOT NULL,
    undone_at INTEGER NOT NULL
);
INSERT INTO attribution_cursor (id, seq, merge_id, undone_at) VALUES (1, 0, 0, 0);

-- one row per visit (or server event carrying a campaign signal); group columns hold report values
CREATE TABLE attribution_touchpoints (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    canonical_id  TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    source        TEXT,
    medium        TEXT,
    campaign      TEXT,
    term          TEXT,
    content       TEXT,
    click_id_type TEXT,
    click_id      TEXT,
    platform      TEXT NOT NULL,
    channel       TEXT NOT NULL
);
CREATE INDEX attribution_touchpoints_canonical ON attribution_touchpoints (workspace_id, canonical_id, started_at);
CREATE INDEX attribution_touchpoints_profile ON attribution_touchpoints (profile_id);
CREATE INDEX attribution_touchpoints_event ON attribution_touchpoints (event_id);

CREATE TABLE attribution_conversions (
    event_id     TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    profile_id   TEXT NOT NULL,
    canonical_id TEXT NOT NULL,
    converted_at INTEGER NOT NULL,
    day          TEXT NOT NULL,
    event_name   TEXT NOT NULL,
    value        REAL,
    currency     TEXT NOT NULL
);
CREATE INDEX attribution_conversions_canonical ON attribution_conversions (workspace_id, canonical_id, converted_at);
CREATE INDEX attribution_conversions_profile ON attribution_conversions (profile_id);
-- covering: report totals and the data-driven models' journeys read only this index, never the table
CREATE INDEX attribution_conversions_day ON attribution_conversions (workspace_id, day, event_name, currency, value, canonical_id,
    converted_at);

-- the group values (as reports show them) of every distinct kind of touchpoint of a workspace, numbered so that
-- profile paths can name them by number
CREATE TABLE attribution_touch_shapes (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    channel      TEXT NOT NULL,
    source       TEXT NOT NULL,
    medium       TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    content      TEXT NOT NULL,
    term         TEXT NOT NULL,
    platform     TEXT NOT NULL
);
CREATE UNIQUE INDEX attribution_touch_shapes_groups ON attribution_touch_shapes (workspace_id, channel, source, medium,
    campaign, content, term, platform);

-- each profile's touchpoints in one compact text, 'started_at:touchpoint id:shape id' joined by ';' in time (then id)
-- order, kept current by the attribution stage: the data-driven models read these few hundred thousand rows instead of
-- millions of touchpoints
CREATE TABLE attribution_profile_paths (
    workspace_id TEXT NOT NULL,
    profile_id   TEXT NOT NULL,
    canonical_id TEXT NOT NULL,
    path         TEXT NOT NULL,
    PRIMARY KEY (workspace_id, profile_id)
);
CREATE INDEX attribution_profile_paths_profile ON attribution_profile_paths (profile_id);
CREATE INDEX attribution_profile_paths_canonical ON attribution_profile_paths (workspace_id, canonical_id);

-- a conversion's path (position 0 = oldest) and each touchpoint's credit under the rule-based models
CREATE TABLE attribution_credits (
    event_id        TEXT NOT NULL,
    position        INTEGER NOT NULL,
    touchpoint_id   INTEGER NOT NULL,
    touched_at      INTEGER NOT NULL,
    source          TEXT,
    medium          TEXT,
    campaign        TEXT,
    term            TEXT,
    content         TEXT,
    click_id_type   TEXT,
    platform        TEXT NOT NULL,
    channel         TEXT NOT NULL,
    first_touch     REAL NOT NULL,
    last_touch      REAL NOT NULL,
    last_non_direct REAL NOT NULL,
    linear          REAL NOT NULL,
    time_decay      REAL NOT NULL,
    position_based  REAL NOT NULL,
    PRIMARY KEY (event_id, position)
);

-- credited conversions and revenue per day, event name, model and every grouping, kept current as credits change.
-- WITHOUT ROWID keeps the rows in key order, so a report's range is one contiguous read
CREATE TABLE attribution_rollup (
    workspace_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    event_name   TEXT NOT NULL,
    model        TEXT NOT NULL,
    currency     TEXT NOT NULL,
    channel      TEXT NOT NULL,
    source       TEXT NOT NULL,
    medium       TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    content      TEXT NOT NULL,
    term         TEXT NOT NULL,
    platform     TEXT NOT NULL,
    conversions  REAL NOT NULL,
    revenue      REAL NOT NULL,
    PRIMARY KEY (workspace_id, day, event_name, model, currency, channel, source, medium, campaign, content, term, platform)
) WITHOUT ROWID;

-- the latest Markov / Shapley computation for a report's range, grouping and event names
CREATE TABLE attribution_model_runs (
    workspace_id TEXT NOT NULL,
    run_key      TEXT NOT NULL,
    computed_at  INTEGER NOT NULL,
    result       TEXT NOT NULL,
    PRIMARY KEY (workspace_id, run_key)
);

-- daily ad spend per platform and campaign, imported from CSV, in the workspace's currency
CREATE TABLE ad_spend (
    workspace_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    platform     TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    spend        REAL NOT NULL,
    currency     TEXT NOT NULL,
    imported_at  INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, day, platform, campaign)
);
