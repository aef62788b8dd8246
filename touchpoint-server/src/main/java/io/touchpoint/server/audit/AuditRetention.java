package io.touchpoint.server.audit;

import io.touchpoint.core.store.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Keeps the audit log to {@code audit.retention-days}: the server's upkeep purges the entries older than that
 * {@link #FIRST} after the start and then every {@link #INTERVAL}.
 */
public final class AuditRetention {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    /** How often old entries are purged: an entry outlives its retention by at most this. */
    public static final Duration INTERVAL = Duration.ofHours(1);
    public static final Duration FIRST = Duration.ofMinutes(1);
    private final AuditLog log;
    private final Clock clock;
    private final Duration retention;

    public AuditRetention(AuditLog log, Clock clock, Duration retention) {
        this.log = log;
        this.clock = clock;
        this.retention = retention;
    }

    /** Removes the entries older than the retention now; how many went. */
    public int purge() {
        int n = log.purge(clock.instant().minus(retention));
        if (n > 0) LOG.info("audit log: {} entries older than {} days purged", n, retention.toDays());
        return n;
    }
}
