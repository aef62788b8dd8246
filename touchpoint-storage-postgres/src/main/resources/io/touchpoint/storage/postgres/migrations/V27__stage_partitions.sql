-- Schema version 27: identity by log partition (Kafka mode, docs/SCALING.md). An event keeps the partition of the
-- ingest log it was stored from (NULL: stored without the log). In Kafka mode the identity stage follows each
-- partition behind its own position in stage_partition_cursors, and concurrent steps of one workspace's graph claim
-- its version in identity_workspace_versions, so steps of different workspaces never wait for each other. Every
-- partition the store writer has stored from has its identity position from its first batch on (its events stored
-- before this version have no partition and stay with the stage's global cursor).
ALTER TABLE events ADD COLUMN log_partition INTEGER;
CREATE INDEX events_log_partition ON events (log_partition, seq) WHERE log_partition IS NOT NULL;
CREATE TABLE stage_partition_cursors (
    stage         TEXT NOT NULL,
    log_partition INTEGER NOT NULL,
    seq           BIGINT NOT NULL,
    PRIMARY KEY (stage, log_partition)
);
CREATE TABLE identity_workspace_versions (
    workspace_id TEXT PRIMARY KEY,
    version      BIGINT NOT NULL
);
INSERT INTO stage_partition_cursors (stage, log_partition, seq)
    SELECT DISTINCT 'identity', log_partition, 0 FROM ingest_log_positions;
