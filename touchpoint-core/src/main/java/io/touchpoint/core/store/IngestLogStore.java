package io.touchpoint.core.store;

import java.util.List;
import java.util.Optional;

/**
 * The write side of ingest as Kafka mode's store writers use it: records read from a partition of an ingest log are
 * committed together with that partition's position, so a crash neither loses nor stores twice.
 */
public interface IngestLogStore extends IngestStore {
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
