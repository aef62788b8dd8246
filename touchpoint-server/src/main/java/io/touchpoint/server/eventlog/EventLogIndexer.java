package io.touchpoint.server.eventlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.server.processing.ProcessorLoop;

import java.util.function.BooleanSupplier;

/**
 * Keeps the events log's identifier index current ({@link EventLogStore#indexNext}): ingest writes each entry's
 * identifiers beside it, which costs the one ingest writer an append, and this stage moves them into the index that
 * {@code ?identifier=} reads, off the acknowledgement's path. It steps aside for ingest as the processor's stages do
 * ({@link ProcessorLoop}). A search never waits for it: entries not moved yet are searched where they wait.
 */
public final class EventLogIndexer implements AutoCloseable {
    static final int BATCH = 1_000;
    private final ProcessorLoop loop;

    public EventLogIndexer(EventLogStore log, MeterRegistry metrics, BooleanSupplier ingestWaiting, BooleanSupplier ingestActive) {
        Counter moved = Counter.builder("touchpoint_event_log_indexed_entries")
                .description("Events-log entries whose identifiers the log indexer moved into the identifier index").register(metrics);
        this.loop = new ProcessorLoop("event-log-indexer", new ProcessorLoop.Stage() {
            @Override
            public int step(int limit) {
                return log.indexNext(limit);
            }

            @Override
            public void afterStep(int handled) {
                moved.increment(handled);
            }
        }, BATCH, ingestWaiting, ingestActive);
    }

    public void start() {
        loop.start();
    }

    public boolean healthy() {
        return loop.healthy();
    }

    /** Stops the loop, then moves whatever waits. */
    @Override
    public void close() {
        loop.close();
    }
}
