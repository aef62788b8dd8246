package io.touchpoint.server.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.RepeatedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the store's disk is full. A write that fails for want of space marks it full: ingest then answers 503
 * {@code storage_full} with {@code Retry-After} and {@code /readyz} answers 503, so a load balancer stops sending
 * traffic. It is not full again once a write succeeds: an ingest commit, or the probe, a small durable write made
 * every {@link #PROBE_INTERVAL} while full and no write failed for want of space since the last round (a small write
 * may fit where the writes that failed do not; with no traffic, nothing else would try). The condition is logged
 * when it starts, at most once a minute while it lasts, and when it ends.
 */
public final class StorageHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageHealth.class);
    /** What a storage_full answer asks the sender to wait. */
    public static final long RETRY_AFTER_SECONDS = 30;
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    private final Runnable probe;
    private final RepeatedFailure failures = new RepeatedFailure();
    private final ScheduledExecutorService prober;
    private volatile boolean full;
    private volatile long lastFailureNanos;
    /** When the probe's previous round ran; only its thread uses it. */
    private long lastRoundNanos = System.nanoTime();

    /** @param probe a small durable write to the store, tried while it is full */
    public StorageHealth(Runnable probe, MeterRegistry metrics) {
        this(probe, metrics, PROBE_INTERVAL);
    }

    StorageHealth(Runnable probe, MeterRegistry metrics, Duration probeInterval) {
        this.probe = probe;
        Gauge.builder("touchpoint.storage.full", this, h -> h.full ? 1 : 0)
                .description("1 while writes fail because the store's disk is full").register(metrics);
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("storage-probe").unstarted(r));
        prober.scheduleWithFixedDelay(this::probeIfFull, probeInterval.toMillis(), probeInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean full() {
        return full;
    }

    /**
     * Looks at a failed write: true when the disk is full (which is then remembered and logged, at most once a
     * minute), false for any other failure, which is the caller's to report.
     */
    public boolean failed(Throwable t) {
        if (!StorageFull.causedBy(t)) return false;
        lastFailureNanos = System.nanoTime();
        full = true;
        long n = failures.failed();
        if (n > 0) {
            LOG.error("the store's disk is full: {} write(s) failed since the last report (reported at most once a"
                    + " minute); ingest answers 503 storage_full and /readyz 503 until a write succeeds: {}", n, rootMessage(t));
        }
        return true;
    }

    /** A write succeeded: the disk takes writes again. */
    public void written() {
        if (!full) return;
        full = false;
        if (failures.succeeded()) LOG.info("the store takes writes again; /readyz answers 200");
    }

    private void probeIfFull() {
        try {
            if (!full || lastFailureNanos - lastRoundNanos > 0) return; // still failing: a probe would tell nothing new
            probe.run();
            written();
        } catch (RuntimeException e) {
            if (!failed(e)) LOG.debug("storage probe failed: {}", e.getMessage());
        } finally {
            lastRoundNanos = System.nanoTime(); // after the probe, so that its own failure does not skip the next round
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable x = t;
        while (x.getCause() != null && x.getCause() != x) x = x.getCause();
        return String.valueOf(x.getMessage());
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
