package io.touchpoint.server.attribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.server.processing.ProcessorLoop;
import io.touchpoint.server.processing.SetAsideCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The attribution stage of the processor (ARCHITECTURE "identity resolution → touchpoints → attribution"): follows
 * the identity stage's cursor and keeps touchpoints, conversions and their credits current
 * ({@link AttributionStore#processNext}, one transaction per batch). Its lag behind the identity stage is on /metrics.
 */
public final class AttributionProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionProcessor.class);
    public static final int DEFAULT_BATCH = 200;

    private final AttributionStore store;
    private final IdentityStore identity;
    private final ProcessorLoop loop;
    private final Counter handled;
    private volatile long cursor;
    private volatile long resolved;
    private final SetAsideCount setAside;

    /**
     * @param ingestWaiting true while ingest has records waiting for the writer: the stage then steps aside
     * @param ingestActive  true while ingest is active: the stage then takes batches sized to a short step
     */
    public AttributionProcessor(AttributionStore store, IdentityStore identity, SetAsideStore setAside, int batch,
                                MeterRegistry metrics, BooleanSupplier ingestWaiting, BooleanSupplier ingestActive) {
        this.store = store;
        this.identity = identity;
        this.setAside = new SetAsideCount(setAside, SetAsideStore.Stage.ATTRIBUTION, metrics);
        this.loop = new ProcessorLoop("attribution-processor", new ProcessorLoop.Stage() {
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
                return AttributionProcessor.this.setAside.setAsideNext(error, tries);
            }

            @Override
            public void afterStep(int n) {
                handled.increment(n);
                refresh();
            }
        }, batch, ingestWaiting, ingestActive,
                metrics, SetAsideStore.Stage.ATTRIBUTION.wireName());
        this.handled = Counter.builder("touchpoint_attribution_items_processed")
                .description("Events and merges the attribution stage has turned into touchpoints and credits").register(metrics);
        Gauge.builder("touchpoint_attribution_lag_events", this, AttributionProcessor::lag)
                .description("Events resolved to profiles whose touchpoints and credits are not stored, set-aside ones included")
                .register(metrics);
    }

    public void start() {
        refresh();
        loop.start();
    }

    /** Resolved events whose attribution is not committed, as of the last look: those ahead and those set aside. */
    public long lag() {
        return Math.max(0, resolved - cursor) + setAside.get();
    }

    public boolean healthy() {
        return loop.healthy();
    }

    public void wake() {
        loop.wake();
    }

    private void refresh() {
        try {
            cursor = store.cursor();
            resolved = identity.cursor();
            setAside.refresh();
        } catch (RuntimeException e) {
            LOG.debug("cannot read the attribution cursor: {}", e.getMessage());
        }
    }

    /** Stops the loop, then handles whatever the identity stage has resolved (call after the identity stage drained). */
    @Override
    public void close() {
        loop.close();
    }
}
