package io.touchpoint.server.destinations;

import io.touchpoint.core.store.DestinationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps finished deliveries (sent, skipped, dead) for {@code delivery.retention-days}: without it every conversion
 * would keep an outbox entry, its attempts and a copy of its enriched body per destination for good. The server's
 * upkeep purges {@link #FIRST} after the start and then every {@link #INTERVAL}, in small batches with a rest between
 * them, so the writes that acknowledgements wait for are never held up for long. Any process may do it; several at once
 * delete nothing twice.
 */
public final class DeliveryRetention {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRetention.class);
    public static final Duration INTERVAL = Duration.ofHours(1);
    public static final Duration FIRST = Duration.ofMinutes(2);
    /** Small enough that one batch holds the write lock for a few milliseconds, so acknowledgements hardly wait. */
    static final int BATCH = 500;
    /** The least rest between batches; after a slow one, twice as long as it took, so a purge holds the lock a third of the time at most. */
    private static final Duration PAUSE = Duration.ofMillis(10);
    private final DestinationStore store;
    private final Clock clock;
    private final Duration retention;

    public DeliveryRetention(DestinationStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** Removes every finished delivery last moved before the retention; how many went. */
    public int purge() throws InterruptedException {
        Instant before = clock.instant().minus(retention);
        int total = 0;
        int n;
        do {
            long start = System.nanoTime();
            n = store.purgeFinished(before, BATCH);
            total += n;
            if (n == BATCH) Thread.sleep(Math.max(PAUSE.toMillis(), 2 * (System.nanoTime() - start) / 1_000_000));
        } while (n == BATCH);
        if (total > 0) LOG.info("deliveries: {} finished entries older than {} days purged", total, retention.toDays());
        return total;
    }
}
