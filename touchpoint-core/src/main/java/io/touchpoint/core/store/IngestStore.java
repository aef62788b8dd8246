package io.touchpoint.core.store;

import java.util.List;
import java.util.Optional;

/** The write side of ingest: the single ingest writer's, or in Kafka mode the store writer's, which reads the log. */
public interface IngestStore {
    /**
     * Commits events, their log entries and idempotency keys in one durable transaction. An event whose
     * idempotency key the workspace already used (earlier, or earlier in this batch) is not stored again.
     *
     * @return one result per record, in order
     */
    List<IngestResult> commit(List<IngestRecord> batch);

    /**
     * Where the store has got to in one partition of an ingest log (a Kafka topic): the offset of the next record to
     * store, 0 when it has stored none.
     */
    long logPosition(String log, int partition);

    /**
     * Commits records read from one partition of an ingest log as {@link #commit} does, and moves that partition's
     * position from {@code from} to {@code to} in the same transaction, so that a crash neither loses nor stores twice.
     * Empty, with nothing written, when the stored position is not {@code from}: another process holds the partition
     * now, or stored these records already.
     */
    Optional<List<IngestResult>> commitFromLog(String log, int partition, long from, long to, List<IngestRecord> batch);
}
