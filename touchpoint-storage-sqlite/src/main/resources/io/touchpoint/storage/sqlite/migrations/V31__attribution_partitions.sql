-- Schema version 31: attribution by log partition (Kafka mode, docs/SCALING.md). The attribution stage follows each
-- partition behind its own position in stage_partition_cursors, as identity does. A partition already stored from
-- starts where the stage's global cursor is: every event up to it is attributed, and none after it of a partition.
INSERT INTO stage_partition_cursors (stage, log_partition, seq)
    SELECT 'attribution', log_partition, (SELECT seq FROM attribution_cursor WHERE id = 1)
    FROM stage_partition_cursors WHERE stage = 'identity';
