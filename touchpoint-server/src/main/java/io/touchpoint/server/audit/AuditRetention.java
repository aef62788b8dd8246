package io.touchpoint.server.audit;

import io.touchpoint.core.store.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the audit log to {@code audit.retention-days}: a background thread, scheduled like the server's other
 * periodic work, purges the entries older than that soon after the start and then every {@link #INTERVAL}. A purge
 * that fails is logged and tried again at the next turn.
 */
public final class AuditRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    /** How often old entries are purged: an entry outlives its retention by at most this. */
    static final Duration INTERVAL = Duration.ofHours(1);
    /** The first purge waits this long, so that a start is not slowed by it. */
    static final Duration FIRST = Duration.ofMinutes(1);
    private final AuditLog log;
    private final Clock clock;
    private final Duration retention;
    private final ScheduledExecutorService purger;

    public AuditRetention(AuditLog log, Clock clock, Duration retention) {
        this.log = log;
        this.clock = clock;
        this.retention = retention;
        this.purger = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("audit-retention")
                .unstarted(r));
        purger.scheduleWithFixedDelay(this::purgeQuietly, FIRST.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Removes the entries older than the retention now; how many went. */
    public int purge() {
        int n = log.purge(clock.instant().minus(retention));
        if (n > 0) LOG.info("audit log: {} entries older than {} days purged", n, retention.toDays());
        return n;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warn("audit log purge failed; it is tried again in {} min: {}", INTERVAL.toMinutes(), e.toString());
        }
    }

    @Override
    public void close() {
        purger.shutdownNow();
    }
}
