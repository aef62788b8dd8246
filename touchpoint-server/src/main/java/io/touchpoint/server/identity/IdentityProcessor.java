package io.touchpoint.server.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.server.processing.ProcessorLoop;
import io.touchpoint.server.processing.SetAsideCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The identity stage of the processor: resolves committed events in sequence order, each batch's results and
 * cursor in one transaction ({@link IdentityStore#processNext}). A batch reads and resolves without the write lock
 * and holds it only to write its rows. While ingest is quiet it takes the store's {@link IdentityStore#quietBatch}:
 * 100,000 events on SQLite, where a page of the graph's tables that many events touch is then written once, not once
 * per small batch (read, resolved and written in parts, so its events and rows are not all in memory at once), and
 * 5,000 on PostgreSQL, where 20,000 was no faster (docs/BENCHMARKS.md). On SQLite,
 * where the processor and the ingest writer share the one write lock, such a batch gives way to an ingest commit
 * that starts waiting during its write (it is rolled back and redone small), and while ingest is active the loop
 * takes short steps, so an ingest commit waits at most one short write or one batch's final commit. Lag, cursor
 * and the events it set aside ({@link ProcessorLoop}) are on /metrics.
 */
public final class IdentityProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityProcessor.class);

    private final IdentityStore store;
    private final ProcessorLoop loop;
    private final Counter resolved;
    private volatile long cursor;
    private volatile long latest;
    private final SetAsideCount setAside;

    /**
     * @param ingestWaiting true while ingest has records waiting for the writer: the processor then steps aside
     * @param ingestActive  true while ingest is active: the processor then takes batches sized to a short step
     */
    public IdentityProcessor(IdentityStore store, SetAsideStore setAside, int batch, MeterRegistry metrics,
                             BooleanSupplier ingestWaiting, BooleanSupplier ingestActive) {
        this.store = store;
        this.setAside = new SetAsideCount(setAside, SetAsideStore.Stage.IDENTITY, metrics);
        this.loop = new ProcessorLoop("identity-processor", new ProcessorLoop.Stage() {
            @Override
            public int step(int limit) {
                return store.processNext(limit);
            }

            @Override
            public void afterFailure() {
                refresh();
            }

            @Override
            public boolean setAsideNext(String error, int tries) {
                return IdentityProcessor.this.setAside.setAsideNext(error, tries);
            }

            @Override
            public void afterStep(int handled) {
                resolved.increment(handled);
                refresh();
            }
        }, batch, ingestWaiting, ingestActive,
                metrics, SetAsideStore.Stage.IDENTITY.wireName());
        this.resolved = Counter.builder("touchpoint_identity_events_resolved")
                .description("Events the identity processor has resolved to profiles").register(metrics);
        Gauge.builder("touchpoint_identity_lag_events", this, IdentityProcessor::lag)
                .description("Committed events the identity processor has not resolved, set-aside ones included").register(metrics);
        Gauge.builder("touchpoint_identity_cursor", this, p -> p.cursor)
                .description("Sequence of the last event the identity processor resolved").register(metrics);
    }

    public void start() {
        refresh();
        loop.start();
    }

    /** Committed events not resolved, as of the processor's last look: those ahead of it and those it set aside. */
    public long lag() {
        return Math.max(0, latest - cursor) + setAside.get();
    }

    public boolean healthy() {
        return loop.healthy();
    }

    /** Tells the processor new events are committed. */
    public void wake() {
        loop.wake();
    }

    private void refresh() {
        try {
            cursor = store.cursor();
            latest = store.latestSequence();
            setAside.refresh();
        } catch (RuntimeException e) {
            LOG.debug("cannot read the identity cursor: {}", e.getMessage());
        }
    }

    /** Stops the loop, then resolves whatever is still committed and unresolved. */
    @Override
    public void close() {
        loop.close();
    }
}
