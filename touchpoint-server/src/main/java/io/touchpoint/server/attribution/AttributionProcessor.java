package io.touchpoint.server.attribution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.IdentityStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The processor's attribution stage (ARCHITECTURE "identity resolution → touchpoints → attribution"): one thread
 * that follows the identity stage's cursor and keeps touchpoints, conversions and their credits current
 * ({@link AttributionStore#processNext}, one transaction per batch). Like the identity stage it steps aside while
 * ingest has records waiting, and drains on {@link #close()}. Its lag behind the identity stage is on /metrics.
 */
public final class AttributionProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionProcessor.class);
    public static final int DEFAULT_BATCH = 200;
    private static final long IDLE_POLL_MILLIS = 100;
    private static final int MAX_YIELDS = 25;
    private static final long YIELD_MILLIS = 2;

    private final AttributionStore store;
    private final IdentityStore identity;
    private final int batch;
    private final BooleanSupplier ingestBusy;
    private final Thread thread;
    private final Object signal = new Object();
    private final Counter handled;
    private volatile boolean stopping;
    private volatile boolean healthy = true;
    private volatile long cursor;
    private volatile long resolved;

    public AttributionProcessor(AttributionStore store, IdentityStore identity, int batch, MeterRegistry metrics,
                                BooleanSupplier ingestBusy) {
        this.store = store;
        this.identity = identity;
        this.batch = batch;
        this.ingestBusy = ingestBusy;
        this.thread = Thread.ofPlatform().name("attribution-processor").daemon(true).unstarted(this::run);
        this.handled = Counter.builder("touchpoint_attribution_items_processed")
                .description("Events and merges the attribution stage has turned into touchpoints and credits").register(metrics);
        Gauge.builder("touchpoint_attribution_lag_events", this, AttributionProcessor::lag)
                .description("Events resolved to profiles whose touchpoints and credits are not stored yet").register(metrics);
    }

    public void start() {
        refresh();
        thread.start();
    }

    /** Resolved events whose attribution is not committed yet, as of the last look. */
    public long lag() {
        return Math.max(0, resolved - cursor);
    }

    public boolean healthy() {
        return healthy;
    }

    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void refresh() {
        try {
            cursor = store.cursor();
            resolved = identity.cursor();
        } catch (RuntimeException e) {
            LOG.debug("cannot read the attribution cursor: {}", e.getMessage());
        }
    }

    private void run() {
        int yields = 0;
        while (!stopping) {
            if (yields < MAX_YIELDS && ingestBusy.getAsBoolean()) {
                yields++;
                pause(YIELD_MILLIS);
                continue;
            }
            yields = 0;
            int n;
            try {
                n = store.processNext(batch);
                healthy = true;
            } catch (RuntimeException e) {
                if (stopping) break;
                healthy = false;
                LOG.error("attribution processing failed; retrying in a second", e);
                pause(1000);
                continue;
            }
            handled.increment(n);
            refresh();
            if (n == 0) {
                synchronized (signal) {
                    try {
                        if (!stopping) signal.wait(IDLE_POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop, then handles whatever the identity stage has resolved (call after the identity stage drained). */
    @Override
    public void close() {
        stopping = true;
        wake();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int n;
            while ((n = store.processNext(batch)) > 0) handled.increment(n);
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("attribution stage could not drain on shutdown; it resumes from its cursor on start: {}", e.getMessage());
        }
    }
}
