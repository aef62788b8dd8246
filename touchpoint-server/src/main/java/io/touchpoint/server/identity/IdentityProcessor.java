package io.touchpoint.server.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.IdentityStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The processor loop (ARCHITECTURE "processor"): one thread that resolves committed events in sequence order,
 * {@code batch} at a time, each batch's results and cursor in one transaction ({@link IdentityStore#processNext}).
 * It sleeps when caught up until {@link #wake()} or a short poll. A batch reads and resolves without the write lock
 * and holds it only to write its rows (a few JDBC batches), so on SQLite, where the processor and the ingest writer
 * share the one write lock, an ingest commit waits at most one such write (docs/BENCHMARKS.md measures both).
 * On {@link #close()} it drains: everything committed before the call is resolved before it returns.
 */
public final class IdentityProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityProcessor.class);
    public static final int DEFAULT_BATCH = 500;
    private static final long IDLE_POLL_MILLIS = 100;

    private final IdentityStore store;
    private final int batch;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Counter resolved;
    private volatile boolean stopping;
    private volatile boolean healthy = true;
    private volatile long cursor;
    private volatile long latest;

    /** How many times in a row the processor steps aside for ingest before it takes one batch anyway. */
    static final int MAX_YIELDS = 25;
    private static final long YIELD_MILLIS = 2;
    private final BooleanSupplier ingestBusy;

    public IdentityProcessor(IdentityStore store, int batch, MeterRegistry metrics) {
        this(store, batch, metrics, () -> false);
    }

    /**
     * @param ingestBusy true while ingest has records waiting for the writer: the processor then steps aside
     *                   (up to {@value #MAX_YIELDS} times {@value #YIELD_MILLIS} ms in a row), so that on
     *                   SQLite, where both share one write lock, acknowledging events comes first and
     *                   processing catches up in the gaps (its lag is on /metrics)
     */
    public IdentityProcessor(IdentityStore store, int batch, MeterRegistry metrics, BooleanSupplier ingestBusy) {
        this.store = store;
        this.batch = batch;
        this.ingestBusy = ingestBusy;
        this.thread = Thread.ofPlatform().name("identity-processor").daemon(true).unstarted(this::run);
        this.resolved = Counter.builder("touchpoint_identity_events_resolved")
                .description("Events the identity processor has resolved to profiles").register(metrics);
        Gauge.builder("touchpoint_identity_lag_events", this, IdentityProcessor::lag)
                .description("Committed events the identity processor has not resolved yet").register(metrics);
        Gauge.builder("touchpoint_identity_cursor", this, p -> p.cursor)
                .description("Sequence of the last event the identity processor resolved").register(metrics);
    }

    public void start() {
        refresh();
        thread.start();
    }

    /** Committed events not yet resolved, as of the processor's last look. */
    public long lag() {
        return Math.max(0, latest - cursor);
    }

    public boolean healthy() {
        return healthy;
    }

    /** Tells the processor new events are committed. */
    public void wake() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void refresh() {
        try {
            cursor = store.cursor();
            latest = store.latestSequence();
        } catch (RuntimeException e) {
            LOG.debug("cannot read the identity cursor: {}", e.getMessage());
        }
    }

    private void run() {
        int yields = 0;
        while (!stopping) {
            if (yields < MAX_YIELDS && ingestBusy.getAsBoolean()) {
                yields++;
                sleep(YIELD_MILLIS);
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
                LOG.error("identity processing failed; retrying in a second", e);
                sleep(1000);
                continue;
            }
            resolved.increment(n);
            refresh();
            if (n == 0) {
                lock.lock();
                try {
                    if (!stopping) work.await(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop, then resolves whatever is still committed and unresolved. */
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
            while ((n = store.processNext(batch)) > 0) resolved.increment(n);
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("identity processor could not drain on shutdown; it resumes from its cursor on start: {}", e.getMessage());
        }
    }
}
