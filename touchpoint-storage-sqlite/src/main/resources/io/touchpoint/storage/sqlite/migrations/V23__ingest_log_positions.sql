-- Schema version 23: where the store writer has got to in each partition of an ingest log (Kafka mode,
-- docs/SCALING.md). next_offset is the offset of the partition's next record to store; it moves in the transaction
-- that stores the records before it, so a restart resumes exactly after what was stored.
CREATE TABLE ingest_log_positions (
    log           TEXT NOT NULL,
    log_partition INTEGER NOT NULL,
    next_offset   INTEGER NOT NULL,
    PRIMARY KEY (log, log_partition)
);
