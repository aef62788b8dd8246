-- Schema version 26: the traffic overview (docs/TRAFFIC.md). The traffic stage follows the identity stage's cursor from
-- the first event, so page views stored before this version are counted too. traffic_visits keeps each visit of a
-- visitor (the profile its page views resolved to) with its landing page and its touchpoint, so that the next page view
-- can be told to continue it, and an erasure can take its counts out; the three rollups are what reports read.
CREATE TABLE traffic_cursor (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO traffic_cursor (id, seq) VALUES (1, 0);

CREATE TABLE traffic_visits (
    id            BIGSERIAL PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    day           TEXT NOT NULL,
    landing_path  TEXT NOT NULL,
    page_views    BIGINT NOT NULL,
    click_id      TEXT,
    source        TEXT,
    medium        TEXT,
    campaign      TEXT,
    term          TEXT,
    content       TEXT,
    click_id_type TEXT,
    platform      TEXT NOT NULL,
    channel       TEXT NOT NULL,
    campaign_id   TEXT,
    ad_set_id     TEXT,
    ad_id         TEXT
);
CREATE INDEX traffic_visits_profile ON traffic_visits (profile_id, last_seen_at);

-- visitors: distinct profiles with a visit beginning that day, exactly; sketch: the same as a VisitorSketch
CREATE TABLE traffic_days (
    workspace_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    visitors     BIGINT NOT NULL,
    visits       BIGINT NOT NULL,
    page_views   BIGINT NOT NULL,
    bounces      BIGINT NOT NULL,
    sketch       BYTEA,
    PRIMARY KEY (workspace_id, day)
);

CREATE TABLE traffic_landing_pages (
    workspace_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    path         TEXT NOT NULL,
    visits       BIGINT NOT NULL,
    bounces      BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day, path)
);

CREATE TABLE traffic_sources (
    workspace_id TEXT NOT NULL,
    day          TEXT NOT NULL,
    source       TEXT NOT NULL,
    channel      TEXT NOT NULL,
    visits       BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day, source, channel)
);
