-- Schema version 33: delivery routing by log partition (Kafka mode, docs/SCALING.md). The delivery stage follows
-- each partition behind its own position in stage_partition_cursors, up to attribution's position there. A partition
-- already stored from starts where the stage's global cursor is: every event up to it is routed, none after it.
INSERT INTO stage_partition_cursors (stage, log_partition, seq)
    SELECT 'delivery', log_partition, (SELECT seq FROM delivery_cursor WHERE id = 1)
    FROM stage_partition_cursors WHERE stage = 'identity';
